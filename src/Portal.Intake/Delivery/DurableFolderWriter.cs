using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Portal.Intake.Delivery;

/// <summary>
/// Writes files into one folder so that after a crash each is either wholly there or not at all,
/// as <see cref="DurableFile"/> does, but for many files at once: files asked for at the same
/// moment are written as temporary files, made durable together, renamed over their names, then
/// the folder is flushed once for all the renames. Each caller still waits until its own file is
/// durable. A relay round of a hundred reports so costs a few disk flushes rather than two hundred,
/// which matters when the database's own commits flush the same disk.
/// <para>
/// The flushing is done on a thread of its own: flushes block, and must not hold the thread pool
/// the web requests run on.
/// </para>
/// </summary>
public sealed partial class DurableFolderWriter : IDisposable
{
    private const int MaxGroup = 256;

    private readonly BlockingCollection<Pending> _queue = new(new ConcurrentQueue<Pending>());
    private readonly Thread _thread;

    public DurableFolderWriter(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Folder = Path.GetFullPath(folder);
        _thread = new Thread(Run) { IsBackground = true, Name = "Durable folder writer" };
        _thread.Start();
    }

    public string Folder { get; }

    /// <summary>How many times the data of a group was made durable (for tests: fewer than the files written).</summary>
    public int Flushes => Volatile.Read(ref _flushes);

    private int _flushes;

    /// <summary>Writes <paramref name="name"/> (a plain file name) in the folder; completes once it is durable.</summary>
    public Task WriteAsync(string name, ReadOnlyMemory<byte> bytes, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(name) || name != Path.GetFileName(name) || name.StartsWith('.'))
        {
            throw new ArgumentException("A plain file name is needed.", nameof(name));
        }

        var pending = new Pending(name, bytes, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            _queue.Add(pending, ct);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(DurableFolderWriter));
        }

        // Not cancelled once queued: the file is written whether or not anyone waits (a second
        // delivery rewrites the same name with the same bytes).
        return pending.Done.Task;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
    }

    private void Run()
    {
        var group = new List<Pending>(MaxGroup);
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            group.Clear();
            group.Add(first);
            while (group.Count < MaxGroup && _queue.TryTake(out var more))
            {
                group.Add(more);
            }

            WriteGroup(group);
        }
    }

    private void WriteGroup(List<Pending> group)
    {
        var written = new List<(Pending File, string Temporary)>(group.Count);
        try
        {
            Directory.CreateDirectory(Folder);
        }
        catch (Exception e)
        {
            group.ForEach(p => p.Done.TrySetException(e));
            return;
        }

        // 1. Every file's bytes in a temporary file beside its name.
        foreach (var file in group)
        {
            var temporary = Path.Combine(Folder, "." + file.Name + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                using var handle = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                RandomAccess.Write(handle, file.Bytes.Span, 0);
                written.Add((file, temporary));
            }
            catch (Exception e)
            {
                TryDelete(temporary);
                file.Done.TrySetException(e);
            }
        }

        // 2. Their data made durable together: one flush of the file system for the group (Linux),
        //    or each file flushed where that is not available.
        try
        {
            FlushData(written.Select(w => w.Temporary));
            Interlocked.Increment(ref _flushes);
        }
        catch (Exception e)
        {
            foreach (var (file, temporary) in written)
            {
                TryDelete(temporary);
                file.Done.TrySetException(e);
            }

            return;
        }

        // 3. Each renamed over its name (atomic), then 4. the folder flushed once so the renames survive a power cut.
        var renamed = new List<Pending>(written.Count);
        foreach (var (file, temporary) in written)
        {
            try
            {
                File.Move(temporary, Path.Combine(Folder, file.Name), overwrite: true);
                renamed.Add(file);
            }
            catch (Exception e)
            {
                TryDelete(temporary);
                file.Done.TrySetException(e);
            }
        }

        try
        {
            DurableFile.FlushFolder(Folder);
        }
        catch (Exception e)
        {
            renamed.ForEach(p => p.Done.TrySetException(e));
            return;
        }

        renamed.ForEach(p => p.Done.TrySetResult());
    }

    private void FlushData(IEnumerable<string> files)
    {
        if (OperatingSystem.IsLinux())
        {
            // syncfs writes back every dirty file of this file system and reports a failure to do so
            // (Linux 5.8 and later), which covers the group's files with one journal commit.
            var fd = Open(Folder, 0x10000 /* O_DIRECTORY */ | 0 /* O_RDONLY */);
            if (fd < 0)
            {
                throw new IOException($"Could not open folder {Folder} to flush it (errno {Marshal.GetLastPInvokeError()}).");
            }

            try
            {
                if (SyncFs(fd) != 0)
                {
                    throw new IOException($"Could not flush the files in {Folder} (errno {Marshal.GetLastPInvokeError()}).");
                }
            }
            finally
            {
                _ = Close(fd);
            }

            return;
        }

        foreach (var path in files)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None);
            stream.Flush(flushToDisk: true);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record Pending(string Name, ReadOnlyMemory<byte> Bytes, TaskCompletionSource Done);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
