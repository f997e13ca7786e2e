namespace Portal.Intake.Form;

/// <summary>The names and allowed values of the safe-contact form's fields. Anything else is refused.</summary>
public static class ContactFields
{
    public const string FormToken = "form-token";
    public const string PowChallenge = "pow-challenge";
    public const string PowNumber = "pow-number";
    public const string RecaptchaToken = "recaptcha-token";

    /// <summary>Hidden from everyone by the stylesheet; only software fills it in.</summary>
    public const string Honeypot = "website";

    public const string Danger = "danger";
    public const string About = "about";
    public const string AboutKnows = "about-knows";
    public const string ReferrerOrganisation = "referrer-organisation";
    public const string ReferrerRole = "referrer-role";
    public const string ReferralConsent = "referral-consent";
    public const string Method = "method";
    public const string Phone = "phone";
    public const string Email = "email";
    public const string TrustedPerson = "trusted-person";
    public const string InPersonPlace = "in-person-place";
    public const string SafeTime = "safe-time";
    public const string NeverTimes = "never-times";
    public const string IfSomeoneElse = "if-someone-else";
    public const string CoverReason = "cover-reason";
    public const string CodeWord = "code-word";
    public const string PreferredLanguage = "preferred-language";
    public const string Interpreter = "interpreter";
    public const string Bsl = "bsl";
    public const string RelayUk = "relay-uk";
    public const string StaffGender = "staff-gender";
    public const string Accessibility = "accessibility";
    public const string ChildrenCount = "children-count";
    public const string ChildrenAges = "children-ages";
    public const string Name = "name";
    public const string TenancyReference = "tenancy-ref";
    public const string Message = "message";
    public const string Consent = "consent";

    public static readonly IReadOnlyList<string> YesNo = ["yes", "no"];
    public static readonly IReadOnlyList<string> AboutValues = ["self", "someone-else", "professional"];
    public static readonly IReadOnlyList<string> KnowsValues = ["yes", "no", "not-sure"];
    public static readonly IReadOnlyList<string> Methods = ["phone", "voicemail", "text", "email", "withheld", "trusted", "in-person"];
    public static readonly IReadOnlyList<string> MethodsNeedingPhone = ["phone", "voicemail", "text", "withheld"];
    public static readonly IReadOnlyList<string> Days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    public static readonly IReadOnlyList<string> DayParts = ["morning", "afternoon", "evening"];
    public static readonly IReadOnlyList<string> SomeoneElseValues = ["say-nothing", "cover-reason"];
    public static readonly IReadOnlyList<string> GenderValues = ["no-preference", "woman", "man"];

    /// <summary>Local (Europe/London) hours of each part of the day offered on the form.</summary>
    public static (string From, string To) DayPartHours(string part) => part switch
    {
        "morning" => ("09:00", "12:00"),
        "afternoon" => ("12:00", "17:00"),
        "evening" => ("17:00", "20:00"),
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, "Unknown part of the day."),
    };

    public static readonly IReadOnlyList<string> SafeTimes =
        [.. Days.SelectMany(d => DayParts.Select(p => d + "-" + p))];

    /// <summary>Fields that may carry several values (checkbox groups).</summary>
    public static readonly IReadOnlySet<string> MultiValued = new HashSet<string>(StringComparer.Ordinal) { Method, SafeTime };

    /// <summary>Free-text fields and their longest accepted length in characters.</summary>
    public static readonly IReadOnlyDictionary<string, int> TextLimits = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [ReferrerOrganisation] = 120,
        [ReferrerRole] = 120,
        [Phone] = 30,
        [Email] = 254,
        [TrustedPerson] = 300,
        [InPersonPlace] = 300,
        [NeverTimes] = 300,
        [CoverReason] = 200,
        [CodeWord] = 50,
        [PreferredLanguage] = 60,
        [Accessibility] = 500,
        [ChildrenCount] = 10,
        [ChildrenAges] = 100,
        [Name] = 100,
        [TenancyReference] = 30,
        [Message] = 2000,
    };

    /// <summary>Free-text fields where line breaks are allowed.</summary>
    public static readonly IReadOnlySet<string> MultiLine = new HashSet<string>(StringComparer.Ordinal)
    {
        TrustedPerson, InPersonPlace, NeverTimes, Accessibility, Message,
    };

    public static readonly IReadOnlySet<string> Checkboxes = new HashSet<string>(StringComparer.Ordinal)
    {
        Interpreter, Bsl, RelayUk, Consent,
    };

    /// <summary>Every field name the form may send.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        FormToken, PowChallenge, PowNumber, RecaptchaToken, Honeypot,
        Danger, About, AboutKnows, ReferrerOrganisation, ReferrerRole, ReferralConsent,
        Method, Phone, Email, TrustedPerson, InPersonPlace, SafeTime, NeverTimes,
        IfSomeoneElse, CoverReason, CodeWord, PreferredLanguage, Interpreter, Bsl, RelayUk,
        StaffGender, Accessibility, ChildrenCount, ChildrenAges, Name, TenancyReference, Message, Consent,
    };
}
