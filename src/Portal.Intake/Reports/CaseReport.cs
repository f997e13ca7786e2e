using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Intake.Reports;

/// <summary>
/// A request for safe contact as the case system receives it (version 1; the JSON Schema is
/// docs/case-report.schema.json). It is serialised, sealed and never stored in the clear.
/// </summary>
public sealed record CaseReport
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    public required Guid Id { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The language the form was filled in (a site language tag).</summary>
    public required string Language { get; init; }

    /// <summary>The person said they are in danger right now.</summary>
    public required bool Urgent { get; init; }

    /// <summary>proof-of-work, recaptcha or unverified (sent without a solved check; still a person until shown otherwise).</summary>
    public required string Verification { get; init; }

    /// <summary>The working day by which the provider promised contact (Europe/London).</summary>
    public required DateOnly ContactBy { get; init; }

    public required ReportSubject Subject { get; init; }

    public required ReportContact Contact { get; init; }

    public required ReportNeeds Needs { get; init; }

    public ReportHousehold? Household { get; init; }

    public required ReportAbout About { get; init; }

    public required bool ConsentToConfidentialityTerms { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
        // Text as written (Urdu as Urdu, "+44" as "+44"): the JSON is sealed and read as JSON, never
        // placed in a web page, so HTML-sensitive characters need no escaping.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static CaseReport FromUtf8Json(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<CaseReport>(json, Json) ?? throw new JsonException("Empty report.");
}

/// <summary>Who the request is about.</summary>
public sealed record ReportSubject
{
    /// <summary>self, someone-else or professional.</summary>
    public required string About { get; init; }

    /// <summary>For someone-else: does that person know (yes, no, not-sure).</summary>
    public string? TheyKnow { get; init; }

    public string? ReferrerOrganisation { get; init; }

    public string? ReferrerRole { get; init; }

    /// <summary>For a professional referral: has the person agreed (yes, no).</summary>
    public string? PersonConsented { get; init; }
}

/// <summary>How, when and whether the provider may make contact. Anything not allowed here is not safe.</summary>
public sealed record ReportContact
{
    public required ReportMethods Methods { get; init; }

    /// <summary>E.164, present only when a method that needs a phone is allowed.</summary>
    public string? Phone { get; init; }

    public string? Email { get; init; }

    public string? TrustedPerson { get; init; }

    public string? InPersonPlace { get; init; }

    public required IReadOnlyList<SafeWindow> SafeTimes { get; init; }

    public string TimeZone { get; init; } = "Europe/London";

    public string? NeverContact { get; init; }

    /// <summary>say-nothing or cover-reason.</summary>
    public required string IfSomeoneElseAnswers { get; init; }

    public string? CoverReason { get; init; }

    public string? CodeWord { get; init; }
}

public sealed record ReportMethods
{
    public bool PhoneCall { get; init; }

    public bool Voicemail { get; init; }

    public bool TextMessage { get; init; }

    public bool Email { get; init; }

    public bool WithheldNumber { get; init; }

    public bool TrustedPerson { get; init; }

    public bool InPerson { get; init; }
}

/// <summary>A day of the week and a local time range when contact is safe.</summary>
public sealed record SafeWindow(string Day, string From, string To);

public sealed record ReportNeeds
{
    public string? PreferredLanguage { get; init; }

    public bool Interpreter { get; init; }

    public bool Bsl { get; init; }

    public bool RelayUk { get; init; }

    /// <summary>no-preference, woman or man.</summary>
    public required string StaffGender { get; init; }

    public string? Accessibility { get; init; }
}

public sealed record ReportHousehold
{
    public int? Children { get; init; }

    public string? ChildrenAges { get; init; }
}

public sealed record ReportAbout
{
    public string? Name { get; init; }

    public string? TenancyReference { get; init; }

    public string? Message { get; init; }
}
