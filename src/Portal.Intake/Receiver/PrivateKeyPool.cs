using System.Collections.Concurrent;
using System.Security.Cryptography;
using Portal.Intake.Sealing;

namespace Portal.Intake.Receiver;

/// <summary>
/// Opens envelopes concurrently with one private key: an <see cref="RSA"/> instance is not documented as
/// safe for concurrent use, so each concurrent opening borrows its own copy, made once and kept for reuse.
/// </summary>
internal sealed class PrivateKeyPool : IDisposable
{
    private readonly byte[] _pkcs8;
    private readonly ConcurrentBag<RSA> _idle = [];
    private bool _disposed;

    public PrivateKeyPool(RSA privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        _pkcs8 = privateKey.ExportPkcs8PrivateKey();
        _idle.Add(Import());
    }

    /// <summary>The report sealed in <paramref name="compactJwe"/>; the caller should zero it when done.</summary>
    /// <exception cref="SealedReportException">Malformed, altered, or sealed for another key.</exception>
    public byte[] Open(string compactJwe)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_idle.TryTake(out var rsa))
        {
            rsa = Import();
        }

        try
        {
            return ReportOpener.Open(compactJwe, rsa);
        }
        finally
        {
            _idle.Add(rsa);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var rsa))
        {
            rsa.Dispose();
        }

        CryptographicOperations.ZeroMemory(_pkcs8);
    }

    private RSA Import()
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportPkcs8PrivateKey(_pkcs8, out _);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }
}
