namespace Portal.Intake.Receiver;

/// <summary>
/// One file per case in <c>{store}/cases/</c>, named by the report id, written so that a case is either
/// there whole or not there at all: written to a temporary file in the same directory, flushed to disk,
/// renamed into place (never over an existing case), and the directory flushed so the rename itself
/// survives a power cut. Only when <see cref="TryAdd"/> returns may the sender be told the case is safe.
/// </summary>
public sealed class CaseStore
{
    /// <summary>An opened report (the case report JSON).</summary>
    public const string OpenedExtension = ".json";

    /// <summary>A report kept sealed (the compact JWE as received).</summary>
    public const string SealedExtension = ".jwe";

    private const string TempExtension = ".tmp";
    private const int MaxIdLength = 100;

    /// <summary>Opens, or creates, the store. Temporary files left by an interrupted write are removed.</summary>
    public CaseStore(string storeDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storeDirectory);
        var root = Path.GetFullPath(storeDirectory);
        CasesDirectory = Path.Combine(root, "cases");
        var existed = Directory.Exists(CasesDirectory);
        CreateOwnerOnlyDirectory(root);
        CreateOwnerOnlyDirectory(CasesDirectory);
        if (!existed)
        {
            Delivery.DurableFile.FlushFolder(root);
            Delivery.DurableFile.FlushFolder(Path.GetDirectoryName(root) ?? root);
        }

        // Only this store's own temporary names: ".{id}.{random}.tmp".
        foreach (var leftover in Directory.EnumerateFiles(CasesDirectory, ".*" + TempExtension))
        {
            File.Delete(leftover);
        }
    }

    /// <summary>The directory holding one file per case.</summary>
    public string CasesDirectory { get; }

    /// <summary>
    /// Whether <paramref name="id"/> can name a file safely on any system: 1 to 100 of <c>A-Z a-z 0-9 _ -</c>,
    /// which includes a GUID in its usual form. Anything else (dots, slashes, spaces, braces, non-ASCII) is refused.
    /// </summary>
    public static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return false;
        }

        // A GUID in "D" form (what the relay sends) is 36 of these characters.
        if (id.Length > MaxIdLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The path of the case for <paramref name="id"/> with the given extension (which may not exist).</summary>
    public string PathFor(string id, string extension)
    {
        if (!IsValidId(id))
        {
            throw new ArgumentException("Not a valid report id.", nameof(id));
        }

        return Path.Combine(CasesDirectory, id + extension);
    }

    /// <summary>Whether a case for <paramref name="id"/> is stored, opened or sealed.</summary>
    public bool Contains(string id) =>
        File.Exists(PathFor(id, OpenedExtension)) || File.Exists(PathFor(id, SealedExtension));

    /// <summary>
    /// Stores a case durably. Returns false, and changes nothing, when a case with this id and extension
    /// is already there (also when another process stored it a moment ago): the rename never replaces a file.
    /// Callers that may store the same id concurrently should hold a lock per id, so only one does the work.
    /// </summary>
    /// <exception cref="IOException">The case could not be written; nothing is left behind.</exception>
    public bool TryAdd(string id, string extension, ReadOnlySpan<byte> content)
    {
        var final = PathFor(id, extension);
        var temp = Path.Combine(CasesDirectory, "." + id + "." + Guid.NewGuid().ToString("N") + TempExtension);
        try
        {
            using (var file = new FileStream(temp, CreateNewOwnerOnly()))
            {
                file.Write(content);
                file.Flush(flushToDisk: true);
            }

            try
            {
                // Without overwrite this is link(2) + unlink(2) on Unix, which fails if the name is taken.
                File.Move(temp, final, overwrite: false);
            }
            catch (IOException) when (File.Exists(final))
            {
                File.Delete(temp);
                return false;
            }

            Delivery.DurableFile.FlushFolder(CasesDirectory);
            return true;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static FileStreamOptions CreateNewOwnerOnly()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private static void CreateOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
