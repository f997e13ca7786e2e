using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Portal.Intake.Delivery;

/// <summary>
/// Writes files into one folder so that after a crash each is either wholly there or not at all,
/// as <see cref="DurableFile"/> does, but for many files at once: files asked for at the same
/// moment are written as temporary files, made durable together, renamed over their names, then
/// the folder is flushed once for all the renames. Each caller still waits until its own file is
/// durable. A relay round of a hundred reports so costs one folder flush rather than a hundred, and
/// its files' data reaches the disk together, which matters when the database's own commits flush
/// the same disk.
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

    /// <summary>How many times the folder was flushed for a group's renames (for tests: fewer than the files written).</summary>
    public int FolderFlushes => Volatile.Read(ref _folderFlushes);

    private int _folderFlushes;

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
        var written = new List<(Pending File, string Temporary, SafeFileHandle Handle)>(group.Count);
        try
        {
            Directory.CreateDirectory(Folder);
        }
        catch (Exception e)
        {
            group.ForEach(p => p.Done.TrySetException(e));
            return;
        }

        // 1. Every file's bytes in a temporary file beside its name, its write-back started at once
        //    (Linux) so that the disk takes the whole group's data together.
        foreach (var file in group)
        {
            var temporary = Path.Combine(Folder, "." + file.Name + "." + Guid.NewGuid().ToString("N") + ".tmp");
            SafeFileHandle? handle = null;
            try
            {
                handle = File.OpenHandle(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                RandomAccess.Write(handle, file.Bytes.Span, 0);
                StartWriteBack(handle);
                written.Add((file, temporary, handle));
            }
            catch (Exception e)
            {
                handle?.Dispose();
                TryDelete(temporary);
                file.Done.TrySetException(e);
            }
        }

        // 2. Each file's data made durable: by now mostly a wait for write-back already under way,
        //    and the file system's journal commits the group's new files together. Only these files
        //    are flushed, so another program's unwritten data on the same disk never holds a delivery up.
        var durable = new List<(Pending File, string Temporary)>(written.Count);
        foreach (var (file, temporary, handle) in written)
        {
            try
            {
                FlushData(handle);
                durable.Add((file, temporary));
            }
            catch (Exception e)
            {
                TryDelete(temporary);
                file.Done.TrySetException(e);
            }
            finally
            {
                handle.Dispose();
            }
        }

        // 3. Each renamed over its name (atomic), then 4. the folder flushed once so the renames survive a power cut.
        var renamed = new List<Pending>(durable.Count);
        foreach (var (file, temporary) in durable)
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

        if (renamed.Count == 0)
        {
            return;
        }

        try
        {
            DurableFile.FlushFolder(Folder);
            Interlocked.Increment(ref _folderFlushes);
        }
        catch (Exception e)
        {
            renamed.ForEach(p => p.Done.TrySetException(e));
            return;
        }

        renamed.ForEach(p => p.Done.TrySetResult());
    }

    private static void StartWriteBack(SafeFileHandle handle)
    {
        if (OperatingSystem.IsLinux())
        {
            // A hint only (SYNC_FILE_RANGE_WRITE: start writing, do not wait); the flush below is what counts.
            _ = SyncFileRange((int)handle.DangerousGetHandle(), 0, 0, 2);
        }
    }

    private static void FlushData(SafeFileHandle handle)
    {
        if (OperatingSystem.IsLinux())
        {
            if (FDataSync((int)handle.DangerousGetHandle()) != 0)
            {
                throw new IOException($"Could not flush a delivered file to disk (errno {Marshal.GetLastPInvokeError()}).");
            }

            return;
        }

        using var stream = new FileStream(handle, FileAccess.Write);
        stream.Flush(flushToDisk: true);
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

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(int fd, long offset, long count, uint flags);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FDataSync(int fd);
}
