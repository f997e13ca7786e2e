using Microsoft.Extensions.Time.Testing;
using Portal.Intake.Protection;

namespace Portal.Intake.Tests.Protection;

public sealed class FormTokensTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    private FormTokens Tokens(byte[]? key = null) =>
        new(key ?? new byte[32], _clock, TimeSpan.FromHours(6), TimeSpan.FromSeconds(3));

    [Fact]
    public void Check_AfterMinimumAge_IsValidWithNonce()
    {
        var tokens = Tokens();
        var token = tokens.Issue("pl");
        _clock.Advance(TimeSpan.FromSeconds(4));

        var check = tokens.Check(token, "pl");

        Assert.Equal(FormTokenStatus.Valid, check.Status);
        Assert.False(string.IsNullOrEmpty(check.Nonce));
    }

    [Fact]
    public void Check_TooSoon_IsTooFast()
    {
        var tokens = Tokens();
        var token = tokens.Issue("pl");
        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(FormTokenStatus.TooFast, tokens.Check(token, "pl").Status);
    }

    [Fact]
    public void Check_AfterMaximumAge_IsExpired()
    {
        var tokens = Tokens();
        var token = tokens.Issue("cy");
        _clock.Advance(TimeSpan.FromHours(6) + TimeSpan.FromSeconds(1));

        Assert.Equal(FormTokenStatus.Expired, tokens.Check(token, "cy").Status);
    }

    [Fact]
    public void Check_OtherLanguageOrKeyOrAlteredByte_IsInvalid()
    {
        var tokens = Tokens();
        var token = tokens.Issue("pl");
        _clock.Advance(TimeSpan.FromSeconds(10));
        var altered = token[..5] + (token[5] == 'A' ? 'B' : 'A') + token[6..];

        Assert.Equal(FormTokenStatus.Invalid, tokens.Check(token, "ar").Status);
        Assert.Equal(FormTokenStatus.Invalid, Tokens([.. Enumerable.Repeat((byte)1, 32)]).Check(token, "pl").Status);
        Assert.Equal(FormTokenStatus.Invalid, tokens.Check(altered, "pl").Status);
        Assert.Equal(FormTokenStatus.Invalid, tokens.Check("", "pl").Status);
        Assert.Equal(FormTokenStatus.Invalid, tokens.Check("not.a-token", "pl").Status);
        Assert.Equal(FormTokenStatus.Invalid, tokens.Check(new string('a', 5000), "pl").Status);
    }

    [Fact]
    public void Issue_GivesEachFormItsOwnNonce()
    {
        var tokens = Tokens();
        _ = tokens.Issue("pl");
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.NotEqual(tokens.Check(tokens.Issue("pl"), "pl").Nonce, tokens.Check(tokens.Issue("pl"), "pl").Nonce);
    }
}
