using System.Runtime.InteropServices;
using System.Text;

namespace Portal.Intake.Delivery;

/// <summary>
/// Writes a file so that after a crash it is either wholly there or not there at all: a temporary
/// file in the same folder, flushed to the disk, renamed over the name, then the folder flushed so
/// the rename itself survives a power cut.
/// </summary>
public static partial class DurableFile
{
    public static async Task WriteAsync(string path, string text, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        await WriteAsync(path, Encoding.UTF8.GetBytes(text), ct);
    }

    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(bytes, ct);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        FlushFolder(folder);
    }

    /// <summary>Makes a folder's entries (a new or renamed file) durable. Linux only; elsewhere the rename is enough.</summary>
    public static void FlushFolder(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(folder, 0x10000 /* O_DIRECTORY */ | 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"Could not open folder {folder} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Could not flush folder {folder} (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
