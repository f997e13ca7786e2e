using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Portal.Intake.Receiver;

/// <summary>How a <see cref="ReferenceReceiver"/> listens, verifies and stores.</summary>
public sealed class ReceiverOptions
{
    /// <summary>The default <see cref="MaxBodyBytes"/>: 1 MB, far above any report.</summary>
    public const long DefaultMaxBodyBytes = 1024 * 1024;

    /// <summary>The loopback port to listen on; 0 picks a free one (see <see cref="ReferenceReceiver.Port"/>).</summary>
    public int Port { get; init; }

    /// <summary>The signing secret shared with the sender, <c>whsec_</c> and base64.</summary>
    public required string Secret { get; init; }

    /// <summary>
    /// The case system's private key. With it, sealed envelopes (<c>application/jose</c>) are opened and
    /// the report JSON is stored; without it, envelopes are stored sealed. The caller keeps ownership:
    /// the receiver copies the key when it starts.
    /// </summary>
    public RSA? PrivateKey { get; init; }

    /// <summary>Cases are written to <c>{StoreDirectory}/cases/</c>.</summary>
    public string StoreDirectory { get; init; } = "received";

    /// <summary>Larger bodies are refused with 413.</summary>
    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>The clock that signature timestamps are checked against.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where the receiver logs (ids and outcomes only). Without it, nothing is logged.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
}
