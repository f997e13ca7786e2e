using System.Globalization;
using System.Net.Mail;
using System.Text;
using Microsoft.Extensions.Primitives;
using Portal.Intake.Reports;

namespace Portal.Intake.Form;

/// <summary>An answer that needs changing, with the English message (a msgid) shown in the reader's language.</summary>
public sealed record FieldError(string Field, string Message, int? Limit = null);

/// <summary>
/// The values as the person entered them (normalised), kept so the form can come back with
/// everything they wrote when something needs changing.
/// </summary>
public sealed class ContactSubmission
{
    private readonly Dictionary<string, string> _values;
    private readonly Dictionary<string, List<string>> _multi;

    public ContactSubmission(Dictionary<string, string> values, Dictionary<string, List<string>> multi)
    {
        _values = values;
        _multi = multi;
    }

    public static ContactSubmission Empty { get; } = new([], []);

    public string Value(string field) => _values.GetValueOrDefault(field, "");

    public string? NonEmpty(string field) => _values.TryGetValue(field, out var v) && v.Length > 0 ? v : null;

    public bool Is(string field, string value) => _values.TryGetValue(field, out var v) && v == value;

    public bool Has(string field, string value) =>
        (_multi.TryGetValue(field, out var list) && list.Contains(value)) || Is(field, value);

    public IReadOnlyList<string> Values(string field) => _multi.TryGetValue(field, out var list) ? list : [];

    /// <summary>Every field and value, for a quarantined submission.</summary>
    public IReadOnlyDictionary<string, object> Raw() =>
        _values.ToDictionary(kv => kv.Key, kv => (object)kv.Value)
            .Concat(_multi.Select(kv => KeyValuePair.Create(kv.Key, (object)kv.Value)))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
}

public sealed record ParsedContactForm(ContactSubmission Submission, string? Problem, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Problem is null && Errors.Count == 0;
}

/// <summary>
/// Reads and checks the safe-contact form. Safe defaults: a contact method not ticked is not
/// safe; a phone number or e-mail address is kept only when a method that needs it is allowed;
/// an unanswered "if someone else answers" means say nothing about us.
/// </summary>
public static class ContactForm
{
    public const string UnrecognisedProblem = "Something on this form was not recognised. Check your answers and send it again.";

    public static ParsedContactForm Parse(IEnumerable<KeyValuePair<string, StringValues>> form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var multi = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var errors = new List<FieldError>();
        string? problem = null;

        foreach (var (key, raw) in form)
        {
            if (!ContactFields.All.Contains(key))
            {
                problem = UnrecognisedProblem;
                continue;
            }

            if (ContactFields.MultiValued.Contains(key))
            {
                var allowed = key == ContactFields.Method ? ContactFields.Methods : ContactFields.SafeTimes;
                var list = new List<string>();
                foreach (var v in raw)
                {
                    if (v is null || !allowed.Contains(v) || list.Contains(v))
                    {
                        problem = UnrecognisedProblem;
                        continue;
                    }

                    list.Add(v);
                }

                multi[key] = list;
                continue;
            }

            if (raw.Count != 1)
            {
                problem = UnrecognisedProblem;
                continue;
            }

            var value = raw[0] ?? "";
            if (ContactFields.TextLimits.TryGetValue(key, out var limit))
            {
                var (clean, error) = CleanText(value, ContactFields.MultiLine.Contains(key));
                values[key] = clean;
                if (error is not null)
                {
                    errors.Add(new FieldError(key, error));
                }
                else if (new StringInfo(clean).LengthInTextElements > limit)
                {
                    errors.Add(new FieldError(key, "This answer must be {0} characters or fewer", limit));
                }

                continue;
            }

            values[key] = value;
            if (!ClosedSetAllows(key, value))
            {
                problem = UnrecognisedProblem;
            }
        }

        var submission = new ContactSubmission(values, multi);
        if (problem is null)
        {
            Validate(submission, errors);
        }

        // Keep the order of the form on the page, so the error summary reads top to bottom.
        var order = ContactFields.All.ToList();
        errors.Sort((a, b) => Order(a.Field).CompareTo(Order(b.Field)));
        return new ParsedContactForm(submission, problem, errors);

        int Order(string field) => FieldOrder.IndexOf(field) is var i and >= 0 ? i : order.Count;
    }

    private static readonly List<string> FieldOrder =
    [
        ContactFields.Danger, ContactFields.About, ContactFields.AboutKnows, ContactFields.ReferrerOrganisation,
        ContactFields.ReferrerRole, ContactFields.ReferralConsent, ContactFields.Method, ContactFields.Phone,
        ContactFields.Email, ContactFields.TrustedPerson, ContactFields.InPersonPlace, ContactFields.SafeTime,
        ContactFields.NeverTimes, ContactFields.IfSomeoneElse, ContactFields.CoverReason, ContactFields.CodeWord,
        ContactFields.PreferredLanguage, ContactFields.StaffGender, ContactFields.Accessibility,
        ContactFields.ChildrenCount, ContactFields.ChildrenAges, ContactFields.Name, ContactFields.TenancyReference,
        ContactFields.Message, ContactFields.Consent,
    ];

    private static bool ClosedSetAllows(string key, string value) => key switch
    {
        ContactFields.Danger => ContactFields.YesNo.Contains(value),
        ContactFields.About => ContactFields.AboutValues.Contains(value),
        ContactFields.AboutKnows => ContactFields.KnowsValues.Contains(value),
        ContactFields.ReferralConsent => ContactFields.YesNo.Contains(value),
        ContactFields.IfSomeoneElse => ContactFields.SomeoneElseValues.Contains(value),
        ContactFields.StaffGender => ContactFields.GenderValues.Contains(value),
        _ when ContactFields.Checkboxes.Contains(key) => value == "yes",
        // Tokens and the honeypot are checked elsewhere; their size is bounded by the body limit.
        ContactFields.FormToken or ContactFields.PowChallenge or ContactFields.PowNumber
            or ContactFields.RecaptchaToken or ContactFields.Honeypot => value.Length <= 4096,
        _ => false,
    };

    private static void Validate(ContactSubmission s, List<FieldError> errors)
    {
        void Require(string field, string message)
        {
            if (s.NonEmpty(field) is null && errors.All(e => e.Field != field))
            {
                errors.Add(new FieldError(field, message));
            }
        }

        Require(ContactFields.Danger, "Tell us if you are in danger right now");
        Require(ContactFields.About, "Tell us who this is about");
        if (s.Is(ContactFields.About, "someone-else"))
        {
            Require(ContactFields.AboutKnows, "Tell us if they know you are contacting us");
        }

        if (s.Is(ContactFields.About, "professional"))
        {
            Require(ContactFields.ReferrerOrganisation, "Enter the name of your organisation");
            Require(ContactFields.ReferrerRole, "Enter your role");
            Require(ContactFields.ReferralConsent, "Tell us if the person has agreed to this referral");
        }

        var methods = s.Values(ContactFields.Method);
        if (methods.Count == 0)
        {
            errors.Add(new FieldError(ContactFields.Method, "Choose at least one way it is safe to contact you"));
        }

        if (methods.Any(ContactFields.MethodsNeedingPhone.Contains))
        {
            Require(ContactFields.Phone, "Enter a phone number we can use");
            if (s.NonEmpty(ContactFields.Phone) is { } phone && errors.All(e => e.Field != ContactFields.Phone) && PhoneNumbers.ToE164(phone) is null)
            {
                errors.Add(new FieldError(ContactFields.Phone, "Enter a phone number in the right format, like 07700 900 982 or +44 7700 900 982"));
            }
        }

        if (methods.Contains("email"))
        {
            Require(ContactFields.Email, "Enter an email address");
            if (s.NonEmpty(ContactFields.Email) is { } email && errors.All(e => e.Field != ContactFields.Email) && !IsEmail(email))
            {
                errors.Add(new FieldError(ContactFields.Email, "Enter an email address in the right format, like name@example.com"));
            }
        }

        if (methods.Contains("trusted"))
        {
            Require(ContactFields.TrustedPerson, "Tell us who we can contact you through");
        }

        if (methods.Contains("in-person"))
        {
            Require(ContactFields.InPersonPlace, "Tell us where we can meet you");
        }

        if (s.Values(ContactFields.SafeTime).Count == 0)
        {
            errors.Add(new FieldError(ContactFields.SafeTime, "Choose at least one day and time when it is safe to contact you"));
        }

        if (s.Is(ContactFields.IfSomeoneElse, "cover-reason"))
        {
            Require(ContactFields.CoverReason, "Enter what we can say if someone else answers");
        }

        if (s.NonEmpty(ContactFields.ChildrenCount) is { } children && errors.All(e => e.Field != ContactFields.ChildrenCount) &&
            !(int.TryParse(children, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 20))
        {
            errors.Add(new FieldError(ContactFields.ChildrenCount, "Enter the number of children as a number from 0 to 20"));
        }

        if (s.NonEmpty(ContactFields.TenancyReference) is { } reference && errors.All(e => e.Field != ContactFields.TenancyReference) &&
            !reference.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '/' or ' '))
        {
            errors.Add(new FieldError(ContactFields.TenancyReference, "Enter your tenancy reference using letters and numbers only"));
        }

        if (!s.Is(ContactFields.Consent, "yes"))
        {
            errors.Add(new FieldError(ContactFields.Consent, "Tick the box to say you have read how we use your information"));
        }
    }

    /// <summary>Builds the report from a valid submission. Details for methods that are not allowed are dropped.</summary>
    public static CaseReport ToReport(ContactSubmission s, Guid id, DateTimeOffset receivedAt, string language, string verification, DateOnly contactBy)
    {
        ArgumentNullException.ThrowIfNull(s);
        var methods = s.Values(ContactFields.Method);
        var needsPhone = methods.Any(ContactFields.MethodsNeedingPhone.Contains);
        var about = s.Value(ContactFields.About);
        var coverReason = s.Is(ContactFields.IfSomeoneElse, "cover-reason");
        int? children = s.NonEmpty(ContactFields.ChildrenCount) is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : null;

        return new CaseReport
        {
            Id = id,
            ReceivedAt = receivedAt,
            Language = language,
            Urgent = s.Is(ContactFields.Danger, "yes"),
            Verification = verification,
            ContactBy = contactBy,
            Subject = new ReportSubject
            {
                About = about,
                TheyKnow = about == "someone-else" ? s.NonEmpty(ContactFields.AboutKnows) : null,
                ReferrerOrganisation = about == "professional" ? s.NonEmpty(ContactFields.ReferrerOrganisation) : null,
                ReferrerRole = about == "professional" ? s.NonEmpty(ContactFields.ReferrerRole) : null,
                PersonConsented = about == "professional" ? s.NonEmpty(ContactFields.ReferralConsent) : null,
            },
            Contact = new ReportContact
            {
                Methods = new ReportMethods
                {
                    PhoneCall = methods.Contains("phone"),
                    Voicemail = methods.Contains("voicemail"),
                    TextMessage = methods.Contains("text"),
                    Email = methods.Contains("email"),
                    WithheldNumber = methods.Contains("withheld"),
                    TrustedPerson = methods.Contains("trusted"),
                    InPerson = methods.Contains("in-person"),
                },
                Phone = needsPhone ? PhoneNumbers.ToE164(s.Value(ContactFields.Phone)) : null,
                Email = methods.Contains("email") ? s.NonEmpty(ContactFields.Email) : null,
                TrustedPerson = methods.Contains("trusted") ? s.NonEmpty(ContactFields.TrustedPerson) : null,
                InPersonPlace = methods.Contains("in-person") ? s.NonEmpty(ContactFields.InPersonPlace) : null,
                SafeTimes = ContactFields.SafeTimes.Where(t => s.Has(ContactFields.SafeTime, t)).Select(t =>
                {
                    var dash = t.IndexOf('-', StringComparison.Ordinal);
                    var (from, to) = ContactFields.DayPartHours(t[(dash + 1)..]);
                    return new SafeWindow(t[..dash], from, to);
                }).ToList(),
                NeverContact = s.NonEmpty(ContactFields.NeverTimes),
                IfSomeoneElseAnswers = coverReason ? "cover-reason" : "say-nothing",
                CoverReason = coverReason ? s.NonEmpty(ContactFields.CoverReason) : null,
                CodeWord = s.NonEmpty(ContactFields.CodeWord),
            },
            Needs = new ReportNeeds
            {
                PreferredLanguage = s.NonEmpty(ContactFields.PreferredLanguage),
                Interpreter = s.Is(ContactFields.Interpreter, "yes"),
                Bsl = s.Is(ContactFields.Bsl, "yes"),
                RelayUk = s.Is(ContactFields.RelayUk, "yes"),
                StaffGender = s.NonEmpty(ContactFields.StaffGender) ?? "no-preference",
                Accessibility = s.NonEmpty(ContactFields.Accessibility),
            },
            Household = children is null && s.NonEmpty(ContactFields.ChildrenAges) is null
                ? null
                : new ReportHousehold { Children = children, ChildrenAges = s.NonEmpty(ContactFields.ChildrenAges) },
            About = new ReportAbout
            {
                Name = s.NonEmpty(ContactFields.Name),
                TenancyReference = s.NonEmpty(ContactFields.TenancyReference),
                Message = s.NonEmpty(ContactFields.Message),
            },
            ConsentToConfidentialityTerms = true,
        };
    }

    /// <summary>
    /// Normalises text (NFC, trimmed, CRLF to LF) and refuses what no person types: control
    /// characters, bidirectional overrides and isolates, and bytes that were not valid UTF-8.
    /// Marks people do use in right-to-left text (LRM, RLM, ALM, ZWJ, ZWNJ) are kept.
    /// </summary>
    public static (string Clean, string? Error) CleanText(string value, bool multiLine)
    {
        var text = value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim();
        const string Bad = "This answer contains characters we cannot accept. Remove any special formatting and try again";
        foreach (var c in text)
        {
            var bad = c switch
            {
                '\n' or '\t' => !multiLine,
                '\uFFFD' => true,
                >= '\u202A' and <= '\u202E' => true,
                >= '\u2066' and <= '\u2069' => true,
                _ => char.IsControl(c),
            };
            if (bad)
            {
                return (text, Bad);
            }
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) ? i + 1 >= text.Length || !char.IsLowSurrogate(text[++i]) : char.IsLowSurrogate(text[i]))
            {
                return (text, Bad);
            }
        }

        return (text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC), null);
    }

    public static bool IsEmail(string value)
    {
        if (value.Length > 254 || value.Any(char.IsWhiteSpace) || value.Count(c => c == '@') != 1)
        {
            return false;
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        var local = value[..at];
        var domain = value[(at + 1)..];
        if (local.Length is 0 or > 64 || domain.Length < 3 || !domain.Contains('.', StringComparison.Ordinal) ||
            domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        return MailAddress.TryCreate(value, out var parsed) && parsed.Address == value;
    }
}

/// <summary>UK and international phone numbers to E.164 (+ and up to 15 digits).</summary>
public static class PhoneNumbers
{
    public static string? ToE164(string input)
    {
        var trimmed = input.Trim();
        var sb = new StringBuilder();
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (char.IsAsciiDigit(c))
            {
                sb.Append(c);
            }
            else if (c == '+' && i == 0)
            {
                continue;
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')' or '\u00A0'))
            {
                return null;
            }
        }

        var digits = sb.ToString();
        if (trimmed.StartsWith('+'))
        {
            return International(digits);
        }

        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            return International(digits[2..]);
        }

        // UK national format: 0 then 10 digits (02, 03, 07), or 9 or 10 digits (01, 05, 08).
        if (digits.Length > 1 && digits[0] == '0' &&
            ((digits.Length == 11 && digits[1] is '1' or '2' or '3' or '5' or '7' or '8') ||
             (digits.Length == 10 && digits[1] is '1' or '5' or '8')))
        {
            return "+44" + digits[1..];
        }

        return null;
    }

    private static string? International(string digits)
    {
        if (digits.Length is < 8 or > 15 || digits[0] == '0')
        {
            return null;
        }

        if (digits.StartsWith("44", StringComparison.Ordinal))
        {
            // A UK number written internationally: the national number without its leading 0.
            var national = digits[2..];
            if (national.Length is not (9 or 10) || national[0] is '0' or '4' or '6' or '9')
            {
                return null;
            }
        }

        return "+" + digits;
    }
}
