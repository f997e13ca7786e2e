using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Portal.Intake.Protection;

namespace Portal.Intake.Tests.Protection;

public sealed class ProofOfWorkTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    private ProofOfWork Pow(byte[]? key = null) => new(key ?? new byte[32], _clock, 2000, TimeSpan.FromHours(1));

    private static string Solve(PowChallenge c) =>
        Enumerable.Range(0, c.MaxNumber + 1)
            .First(n => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(c.Salt + n))) == c.Challenge)
            .ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Verify_RightNumber_ReturnsTheChallenge()
    {
        var pow = Pow();
        var c = pow.Create();

        Assert.Equal(c.Challenge, pow.Verify(pow.Serialize(c), Solve(c)));
    }

    [Fact]
    public void Verify_WrongNumberExpiredForeignOrAltered_IsNull()
    {
        var pow = Pow();
        var c = pow.Create();
        var json = pow.Serialize(c);
        var right = Solve(c);
        var wrong = ((int.Parse(right, System.Globalization.CultureInfo.InvariantCulture) + 1) % (c.MaxNumber + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var resigned = pow.Serialize(c with { Salt = c.Salt.Replace("?expires=", "?expires=9", StringComparison.Ordinal) });

        Assert.Null(pow.Verify(json, wrong));
        Assert.Null(Pow([.. Enumerable.Repeat((byte)7, 32)]).Verify(json, right));
        Assert.Null(pow.Verify(resigned, right));
        Assert.Null(pow.Verify(json, "-1"));
        Assert.Null(pow.Verify(json, ""));
        Assert.Null(pow.Verify("{not json", right));
        Assert.Null(pow.Verify(JsonSerializer.Serialize(new { algorithm = "MD5" }), right));

        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(pow.Verify(json, right));
    }
}
