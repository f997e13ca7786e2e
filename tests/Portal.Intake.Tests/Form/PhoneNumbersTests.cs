using Portal.Intake.Form;

namespace Portal.Intake.Tests.Form;

public sealed class PhoneNumbersTests
{
    [Theory]
    [InlineData("07700 900982", "+447700900982")]
    [InlineData("07700-900-982", "+447700900982")]
    [InlineData("(01632) 960 123", "+441632960123")]
    [InlineData("020 7946 0123", "+442079460123")]
    [InlineData("0808 157 0192", "+448081570192")]
    [InlineData("+44 7700 900982", "+447700900982")]
    [InlineData("0044 7700 900982", "+447700900982")]
    [InlineData("+48 601 234 567", "+48601234567")]
    [InlineData("+40 721 234 567", "+40721234567")]
    [InlineData("+92 300 1234567", "+923001234567")]
    [InlineData("+1 (202) 555-0143", "+12025550143")]
    public void ToE164_UkAndInternational_Normalises(string input, string expected)
    {
        Assert.Equal(expected, PhoneNumbers.ToE164(input));
    }

    [Theory]
    [InlineData("")]
    [InlineData("999")]
    [InlineData("116 123")]
    [InlineData("0770090098")]          // too short
    [InlineData("077009009821")]        // too long
    [InlineData("09098 790 000")]       // premium rate
    [InlineData("+44 07700 900982")]    // trunk 0 after the country code
    [InlineData("+0 123 456 789")]
    [InlineData("+1234567890123456")]   // over 15 digits
    [InlineData("07700 9OO982")]        // letters
    [InlineData("0770+0900982")]
    [InlineData("++447700900982")]
    [InlineData("07700\u202E900982")]
    public void ToE164_NotAPhoneNumber_IsNull(string input)
    {
        Assert.Null(PhoneNumbers.ToE164(input));
    }
}

public sealed class ContactFormTextTests
{
    [Theory]
    [InlineData("name@example.com", true)]
    [InlineData("first.last+tag@sub.example.co.uk", true)]
    [InlineData("name@example", false)]
    [InlineData("name@@example.com", false)]
    [InlineData("name example@example.com", false)]
    [InlineData("@example.com", false)]
    [InlineData("name@.example.com", false)]
    [InlineData("name@example..com", false)]
    public void IsEmail(string value, bool expected)
    {
        Assert.Equal(expected, ContactForm.IsEmail(value));
    }

    [Theory]
    [InlineData("  hello  ", false, "hello")]
    [InlineData("line\r\nbreak", true, "line\nbreak")]
    [InlineData("e\u0301", false, "\u00e9")]                 // NFC
    [InlineData("آپ\u200cکا", false, "آپ\u200cکا")]          // ZWNJ kept
    [InlineData("\u200fمرحبا\u200e", false, "\u200fمرحبا\u200e")] // RLM, LRM kept
    public void CleanText_Normalises(string input, bool multiLine, string expected)
    {
        var (clean, error) = ContactForm.CleanText(input, multiLine);

        Assert.Null(error);
        Assert.Equal(expected, clean);
    }

    [Theory]
    [InlineData("line\nbreak", false)]
    [InlineData("bell\u0007", true)]
    [InlineData("nul\0", true)]
    [InlineData("over\u202Eride", true)]
    [InlineData("iso\u2067late", true)]
    [InlineData("bad \uFFFD byte", true)]
    [InlineData("lone \uD800 surrogate", true)]
    [InlineData("lone \uDC00 low", true)]
    public void CleanText_RefusesWhatNoPersonTypes(string input, bool multiLine)
    {
        Assert.NotNull(ContactForm.CleanText(input, multiLine).Error);
    }
}
