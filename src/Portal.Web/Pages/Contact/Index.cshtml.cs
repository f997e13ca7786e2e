using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Portal.Intake.Form;
using Portal.Intake.Protection;
using Portal.Intake.Reports;
using Portal.Intake.Sealing;
using Portal.Intake.Storage;
using Portal.Web.Content;
using Portal.Web.Helplines;

namespace Portal.Web.Pages.Contact;

/// <summary>
/// The request for safe contact: shown with a signed form token and a proof-of-work challenge,
/// checked, sealed with the case system's public key and stored with its outbox row before the
/// 303 to the confirmation. Nothing the person wrote is logged, put in an address, or kept in
/// the clear.
/// </summary>
[EnableRateLimiting(ContactRegistration.RatePolicy)]
public sealed class IndexModel(
    SiteContent content,
    IOptions<PortalOptions> options,
    IStringLocalizer S,
    FormTokens tokens,
    ProofOfWork pow,
    IntakeStore store,
    ReportSealer sealer,
    ConfirmationStore confirmations,
    RecaptchaVerifier recaptcha,
    IOptions<IntakeOptions> intake,
    TimeProvider clock,
    ILogger<IndexModel> logger)
    : PublicPageModel(content, options)
{
    public ContactSubmission Values { get; private set; } = ContactSubmission.Empty;

    public IReadOnlyList<FieldError> Errors { get; private set; } = [];

    /// <summary>A problem with the form as a whole (too old, too fast, not recognised).</summary>
    public string? FormProblem { get; private set; }

    public string FormToken { get; private set; } = "";

    private string? _powChallenge;

    /// <summary>A fresh challenge, made when the form is shown (a post answered with a redirect needs none).</summary>
    public string PowChallenge => _powChallenge ??= pow.Serialize(pow.Create());

    public RecaptchaOptions Recaptcha => intake.Value.Recaptcha;

    public int ResponseWorkingDays => Site.Settings.ResponseWorkingDays;

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field) is { } e
        ? (e.Limit is { } limit ? S[e.Message, limit] : S[e.Message]).Value
        : null;

    public IActionResult OnGet(string lang)
    {
        if (!UseLanguage(lang))
        {
            return NotFound();
        }

        Prepare(lang, tokens.Issue(lang));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string lang, CancellationToken ct)
    {
        if (!UseLanguage(lang))
        {
            return NotFound();
        }

        Prepare(lang, null);
        if (!(Request.ContentType ?? "").StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        var form = await ReadFormAsync(ct);
        if (form is null)
        {
            return StatusCode(StatusCodes.Status413PayloadTooLarge);
        }


        var parsed = ContactForm.Parse(form);
        Values = parsed.Submission;
        var tokenText = Values.Value(ContactFields.FormToken);
        if (parsed.Problem is not null)
        {
            return ShowAgain(parsed.Problem, tokenText, parsed.Errors);
        }

        if (Values.NonEmpty(ContactFields.Honeypot) is not null)
        {
            return await QuarantineAsync("honeypot", lang, ct);
        }

        var check = tokens.Check(tokenText, lang);
        switch (check.Status)
        {
            case FormTokenStatus.Invalid:
                return await QuarantineAsync("form-token", lang, ct);
            case FormTokenStatus.Expired:
                return ShowAgain("This form was open for a long time, so we have not sent it yet. Check your answers and send it again.", tokens.Issue(lang), parsed.Errors);
            case FormTokenStatus.TooFast:
                return ShowAgain("Please take a moment to check your answers, then send the form again.", tokenText, parsed.Errors);
        }

        var nonce = check.Nonce!;
        if (!parsed.IsValid)
        {
            return ShowAgain(null, tokenText, parsed.Errors);
        }

        var received = clock.GetUtcNow();
        var contactBy = WorkingDays.After(DateOnly.FromDateTime(Opening.ToLondon(received)), ResponseWorkingDays, Site.BankHolidays);
        string? powChallenge = null;
        var verification = "unverified";
        if (Recaptcha.Enabled && await recaptcha.VerifyAsync(Values.NonEmpty(ContactFields.RecaptchaToken), Request.Host.Host, ct))
        {
            verification = "recaptcha";
        }
        else
        {
            powChallenge = pow.Verify(Values.NonEmpty(ContactFields.PowChallenge), Values.NonEmpty(ContactFields.PowNumber));
        }

        var id = Guid.NewGuid();
        // Registered before the write, so a second copy committed in the same batch finds it.
        var methods = ContactFields.Methods.Where(m => Values.Has(ContactFields.Method, m)).ToList();
        var confirmation = confirmations.Add(id, new ConfirmationSummary(methods, contactBy, Values.Is(ContactFields.Danger, "yes")));
        var result = await store.AcceptAsync(
            id,
            Values.Is(ContactFields.Danger, "yes"),
            nonce,
            powChallenge,
            check.IssuedAt!.Value + tokens.MaxAge,
            usePow =>
            {
                var v = usePow ? "proof-of-work" : verification;
                var report = ContactForm.ToReport(Values, id, received, lang, v, contactBy);
                return (sealer.Seal(report.ToUtf8Json()), v);
            },
            ct);

        // A second copy of the same form answers with the first copy's confirmation.
        return Sent(lang, result.Duplicate ? confirmations.ForReport(result.ReportId) : confirmation);
    }

    private void Prepare(string lang, string? token)
    {
        // The form carries a token and a challenge; shown again after a POST it also echoes what was
        // sent, and a secret compressed next to input the sender chose leaks through the length
        // (BREACH): that answer is never compressed. A GET reflects nothing from the request (the
        // language comes from a fixed list, the query is ignored) and each one carries fresh
        // secrets, so it is compressed like every other page.
        if (HttpMethods.IsPost(Request.Method))
        {
            HttpContext.Features.Set(new Safety.DoNotCompressFeature());
        }

        HttpContext.Response.Headers["X-Robots-Tag"] = "noindex";
        Title = S["Ask us to contact you safely"];
        CurrentSlug = "contact";
        PathInLanguage = "/contact";
        TranslatedCultures = Site.Languages.Select(l => l.Tag).ToList();
        BackHref = Href(lang, "");
        if (token is not null)
        {
            FormToken = token;
        }

        if (Recaptcha.Enabled)
        {
            HttpContext.Features.Set(new Safety.ContentSecurityPolicyAdditions(
                Script: "https://www.google.com/recaptcha/ https://www.gstatic.com/recaptcha/",
                Frame: "https://www.google.com/recaptcha/ https://recaptcha.google.com/recaptcha/",
                Connect: "https://www.google.com/recaptcha/"));
        }
    }

    private PageResult ShowAgain(string? problem, string token, IReadOnlyList<FieldError> errors)
    {
        FormProblem = problem;
        Errors = errors;
        FormToken = token;
        var result = Page();
        result.StatusCode = StatusCodes.Status400BadRequest;
        return result;
    }

    /// <summary>POST, then 303 See Other, then GET: reloading the confirmation never sends the form again.</summary>
    private SeeOtherResult Sent(string lang, string? confirmation) =>
        new("/" + lang + "/contact/sent" + (confirmation is null ? "" : "/" + confirmation));

    private async Task<IActionResult> QuarantineAsync(string reason, string lang, CancellationToken ct)
    {
        var raw = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { quarantined = reason, language = lang, fields = Values.Raw() });
        await store.QuarantineAsync(sealer.Seal(raw), reason, ct);
        ContactRegistration.Quarantined.Add(1, new KeyValuePair<string, object?>("reason", reason));
        logger.LogInformation("A submission was quarantined ({Reason}).", reason);
        // The sender sees what everyone sees after sending: nothing tells software it was caught.
        return Sent(lang, null);
    }

    /// <summary>
    /// The form, read in memory only (<see cref="FormBodyLimit"/> buffers and caps the body before
    /// anything reads it); null when the body is over the limit.
    /// </summary>
    private async Task<IEnumerable<KeyValuePair<string, StringValues>>?> ReadFormAsync(CancellationToken ct)
    {
        try
        {
            return await Request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException)
        {
            // The body grew past the limit (a chunked request has no length to check up front).
            return null;
        }
        catch (InvalidDataException)
        {
            return [KeyValuePair.Create("unrecognised", StringValues.Empty)];
        }
    }
}

public sealed class SeeOtherResult(string location) : IActionResult
{
    public string Location { get; } = location;

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.HttpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.HttpContext.Response.Headers.Location = Location;
        return Task.CompletedTask;
    }
}
