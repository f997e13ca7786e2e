using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Backoffice;
using Portal.Web.Content;

namespace Portal.Web.Translation.Exchange;

/// <summary>What happened to one returned unit.</summary>
public enum UnitOutcome
{
    /// <summary>Taken: the words are in a draft (pages) or live (helplines).</summary>
    Accepted,

    /// <summary>Not taken, with the reason.</summary>
    Rejected,

    /// <summary>Left as it was: the file has no translation for it.</summary>
    Skipped,
}

public sealed record UnitResult(string Id, string Where, UnitOutcome Outcome, string? Reason);

/// <summary>The report of an import, unit by unit, and the pages saved as drafts.</summary>
public sealed record ImportReport(string Culture, IReadOnlyList<UnitResult> Units, IReadOnlyList<SavedPage> Pages)
{
    public int Accepted => Units.Count(u => u.Outcome == UnitOutcome.Accepted);

    public int Rejected => Units.Count(u => u.Outcome == UnitOutcome.Rejected);

    public int Skipped => Units.Count(u => u.Outcome == UnitOutcome.Skipped);
}

/// <summary>A page whose translation was saved as a draft by an import.</summary>
public sealed record SavedPage(string Slug, string Audience)
{
    public override string ToString() => Audience == Audiences.Standard ? Slug : $"{Slug} ({Audience})";
}

/// <summary>A unit as it arrives, before it is checked against the current source.</summary>
/// <param name="Check">Checks the unit against the current English and gives the translation to take, or a reason.</param>
public sealed record IncomingUnit(string Id, Func<string, ReturnedUnit> Check);

/// <summary>
/// Takes an agency's file back: each unit's English must still be the current English, every protected
/// piece must come back unchanged, and what passes is saved as a draft of each page (for review and
/// publishing as usual) or as the helpline's words. Nothing that fails a check is saved.
/// </summary>
public sealed class ExchangeImport(PortalDb db, PageWorkflow workflow, AuditLog audit, SiteContent site)
{
    public const long MaxFileBytes = 5 * 1024 * 1024;

    /// <summary>Reads an XLIFF 2.0 or PO file into units; throws <see cref="ExchangeFormatException"/> when it is neither or is for another language.</summary>
    public static IReadOnlyList<IncomingUnit> ReadFile(byte[] content, string culture)
    {
        ArgumentNullException.ThrowIfNull(content);
        var text = System.Text.Encoding.UTF8.GetString(content).TrimStart('\uFEFF');
        if (text.TrimStart().StartsWith('<'))
        {
            using var stream = new MemoryStream(content);
            var (_, target, units) = XliffFormat.Read(stream);
            if (!string.Equals(target, culture, StringComparison.OrdinalIgnoreCase))
            {
                throw new ExchangeFormatException($"This file is for the language “{target ?? "none"}”, not “{culture}”.");
            }

            return units.Select(u => new IncomingUnit((string?)u.Attribute("id") ?? "", current => XliffFormat.Check(u, current))).ToList();
        }

        var (language, entries) = PoExchangeFormat.Read(text);
        if (!string.Equals(language, culture, StringComparison.OrdinalIgnoreCase))
        {
            throw new ExchangeFormatException($"This file is for the language “{language ?? "none"}”, not “{culture}”.");
        }

        return entries.Select(e => new IncomingUnit(e.Id, current => CheckPo(e.Id, e.Source, e.Target, current))).ToList();
    }

    private static ReturnedUnit CheckPo(string id, string source, string target, string current)
    {
        if (SourceBlocks.Normalize(source) != SourceBlocks.Normalize(current))
        {
            return new ReturnedUnit(id, source, null, "translated", "The English has changed since this file was exported. Export again and translate the current text.");
        }

        var problems = ProtectedText.CompareProtected(current, target);
        return problems.Count > 0
            ? new ReturnedUnit(id, source, null, "translated", string.Join(" ", problems))
            : new ReturnedUnit(id, source, target.ReplaceLineEndings("\n").Trim(), "translated", null);
    }

    public async Task<ImportReport> ImportAsync(StaffActor actor, string culture, IReadOnlyList<IncomingUnit> incoming, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(incoming);
        var sourceCulture = site.Current.Settings.DefaultLanguage;
        var results = new List<UnitResult>();
        var pages = new Dictionary<(string Slug, string Audience), PageImport>();
        var helplines = new Dictionary<string, Dictionary<string, (string Text, string Where)>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Dictionary<string, HelplineText>? sourceHelplines = null;

        foreach (var unit in incoming)
        {
            if (!seen.Add(unit.Id))
            {
                results.Add(new UnitResult(unit.Id, unit.Id, UnitOutcome.Rejected, "The file has this unit more than once."));
                continue;
            }

            var parsed = ExchangeUnit.ParseId(unit.Id);
            if (parsed is null)
            {
                results.Add(new UnitResult(unit.Id, unit.Id, UnitOutcome.Rejected, "This is not a unit of this site's pages or helplines."));
                continue;
            }

            var (kind, parts) = parsed.Value;
            if (kind == "page")
            {
                var key = (parts[0], parts[1]);
                if (!pages.TryGetValue(key, out var page))
                {
                    var (comparison, _) = workflow.Exists(parts[0], culture, parts[1])
                        ? await ExchangeUnits.LoadPageAsync(db, parts[0], culture, parts[1], sourceCulture, ct)
                        : (null, null);
                    page = new PageImport(comparison);
                    pages[key] = page;
                }

                var where = $"Page “{parts[0]}”" + (parts[1] == Audiences.Standard ? "" : $" ({parts[1]})");
                if (page.Comparison is null)
                {
                    results.Add(new UnitResult(unit.Id, where, UnitOutcome.Rejected, "This page is no longer on the site."));
                    continue;
                }

                if (!page.Comparison.Aligned)
                {
                    results.Add(new UnitResult(unit.Id, where, UnitOutcome.Rejected,
                        "This page's translation no longer lines up paragraph by paragraph with the English; update it in the split view."));
                    continue;
                }

                var row = page.Comparison.Rows.FirstOrDefault(r => r.Source.Id == parts[2]);
                var field = ExchangeUnit.PageFields.Contains(parts[2]) ? parts[2] : null;
                var current = field is not null ? ExchangeUnits.PageField(page.Comparison.Source, field) : row?.Source.Text;
                where += field is not null ? ", " + field.Replace('-', ' ') : row is not null ? $", paragraph {row.Number}" : "";
                if (current is null)
                {
                    results.Add(new UnitResult(unit.Id, where, UnitOutcome.Rejected,
                        "The English no longer has this paragraph. Export again and translate the current text."));
                    continue;
                }

                var returned = unit.Check(current);
                var problem = returned.Problem ?? (returned.TargetText is { } t ? PageProblem(t, field) : null);
                if (problem is not null || returned.TargetText is null)
                {
                    results.Add(new UnitResult(unit.Id, where, problem is null ? UnitOutcome.Skipped : UnitOutcome.Rejected, problem ?? "The file has no translation for this."));
                    continue;
                }

                page.Texts[parts[2]] = (returned.TargetText, where);
            }
            else
            {
                var (id, field) = (parts[0], parts[1]);
                sourceHelplines ??= await db.HelplineTexts.AsNoTracking().Where(t => t.Culture == sourceCulture).ToDictionaryAsync(t => t.HelplineId, ct);
                var source = sourceHelplines.GetValueOrDefault(id);
                var current = source is null ? null : ExchangeUnits.HelplineField(source, field);
                var where = $"Helpline “{source?.Name ?? id}”, {field.Replace('-', ' ')}";
                if (current is null)
                {
                    results.Add(new UnitResult(unit.Id, where, UnitOutcome.Rejected, "The English no longer has this text. Export again and translate the current text."));
                    continue;
                }

                var returned = unit.Check(current);
                var problem = returned.Problem ?? (returned.TargetText is { } t ? HelplineProblem(t, field) : null);
                if (problem is not null || returned.TargetText is null)
                {
                    results.Add(new UnitResult(unit.Id, where, problem is null ? UnitOutcome.Skipped : UnitOutcome.Rejected, problem ?? "The file has no translation for this."));
                    continue;
                }

                if (!helplines.TryGetValue(id, out var fields))
                {
                    helplines[id] = fields = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
                }

                fields[field] = (returned.TargetText, where);
            }
        }

        var saved = new List<SavedPage>();
        foreach (var ((slug, audience), page) in pages.Where(p => p.Value.Texts.Count > 0))
        {
            var outcome = await SavePageAsync(actor, slug, culture, audience, page, ct);
            foreach (var (id, (_, where)) in page.Texts)
            {
                results.Add(new UnitResult(ExchangeUnit.ForPage(slug, audience, id), where, outcome.Succeeded ? UnitOutcome.Accepted : UnitOutcome.Rejected,
                    outcome.Succeeded ? null : outcome.Message));
            }

            if (outcome.Succeeded)
            {
                saved.Add(new SavedPage(slug, audience));
            }
        }

        var helplinesChanged = false;
        foreach (var (id, fields) in helplines)
        {
            helplinesChanged |= await SaveHelplineAsync(actor, id, culture, sourceCulture, fields, ct);
            results.AddRange(fields.Select(f => new UnitResult(ExchangeUnit.ForHelpline(id, f.Key), f.Value.Where, UnitOutcome.Accepted, null)));
        }

        var report = new ImportReport(culture, results, saved);
        audit.Add(actor.Id, actor.Name, AuditTriggers.Person, "import-translations", "translations:" + culture, culture: culture,
            detail: $"{report.Accepted} taken, {report.Rejected} refused, {report.Skipped} without a translation; drafts saved: {(saved.Count == 0 ? "none" : string.Join(", ", saved))}");
        if (helplinesChanged)
        {
            await BackofficeEdits.BumpRevisionAsync(db, ct);
        }

        await db.SaveChangesAsync(ct);
        if (helplinesChanged)
        {
            await site.ReloadAsync(ct);
        }

        return report;
    }

    private static string? PageProblem(string text, string? field)
    {
        if (field is null)
        {
            return SourceBlocks.Split(text).Count == 1 ? null
                : "The translation has become more than one paragraph. Keep it to one paragraph: a blank line starts a new one.";
        }

        if (text.Contains('\n', StringComparison.Ordinal))
        {
            return "The " + field.Replace('-', ' ') + " must be one line.";
        }

        return field == "description" && text.Length > PageWorkflow.MaxDescriptionLength
            ? $"The description must be {PageWorkflow.MaxDescriptionLength} characters or fewer."
            : null;
    }

    private static string? HelplineProblem(string text, string field) => field switch
    {
        "name" when text.Length > 200 => "The name must be 200 characters or fewer.",
        "description" when text.Length > 2000 => "The description must be 2,000 characters or fewer.",
        "hours-note" when text.Length > 500 => "The note about hours must be 500 characters or fewer.",
        _ => null,
    };

    private async Task<WorkflowResult> SavePageAsync(StaffActor actor, string slug, string culture, string audience, PageImport page, CancellationToken ct)
    {
        var comparison = page.Comparison!;
        var existing = comparison.Translation;
        var blockTexts = comparison.Rows.ToDictionary(r => r.Source.Id,
            r => page.Texts.TryGetValue(r.Source.Id, out var imported) ? imported.Text
                : r.Change == BlockChange.Untranslated ? "" : r.Translation ?? "",
            StringComparer.Ordinal);
        // An agency's translation of a paragraph is taken as made from the English it came with, even when its words did not change.
        var confirmed = page.Texts.Keys.ToHashSet(StringComparer.Ordinal);
        var composed = comparison.Compose(blockTexts, confirmed);
        if (composed.Problem is not null)
        {
            return WorkflowResult.Bad(composed.Problem);
        }

        string? Field(string name) => page.Texts.TryGetValue(name, out var imported) ? imported.Text
            : existing is not null ? ExchangeUnits.PageField(existing, name)
            : ExchangeUnits.PageField(comparison.Source, name);

        var title = Field("title") ?? comparison.Source.Title;
        var caughtUp = composed.ToDo == 0 && (existing is not null || page.Texts.ContainsKey("title"));
        var state = caughtUp ? TranslationStates.Translated : existing?.TranslationState ?? TranslationStates.Missing;
        if (state == TranslationStates.Reviewed)
        {
            // New words have not been reviewed.
            state = TranslationStates.Translated;
        }

        var input = new DraftInput(title, Field("nav-title"), Field("description"), composed.Body, state);
        return await workflow.SaveDraftAsync(actor, slug, culture, audience, input, composed.Basis, ct);
    }

    private async Task<bool> SaveHelplineAsync(StaffActor actor, string id, string culture, string sourceCulture,
        Dictionary<string, (string Text, string Where)> fields, CancellationToken ct)
    {
        var texts = await db.HelplineTexts.Where(t => t.HelplineId == id && (t.Culture == culture || t.Culture == sourceCulture)).ToListAsync(ct);
        var source = texts.Single(t => t.Culture == sourceCulture);
        var text = texts.FirstOrDefault(t => t.Culture == culture);
        if (text is null)
        {
            text = new HelplineText { HelplineId = id, Culture = culture, Name = source.Name, Description = source.Description, TranslationState = TranslationStates.Missing };
            db.HelplineTexts.Add(text);
        }

        var changed = new List<string>();
        foreach (var (field, (value, _)) in fields)
        {
            switch (field)
            {
                case "name" when text.Name != value: text.Name = value; changed.Add("name"); break;
                case "description" when text.Description != value: text.Description = value; changed.Add("description"); break;
                case "hours-note" when text.HoursNote != value: text.HoursNote = value; changed.Add("hours note"); break;
            }
        }

        // Translated once every English field has come back; until then it keeps the state it had.
        var complete = ExchangeUnit.HelplineFields.All(f => string.IsNullOrWhiteSpace(ExchangeUnits.HelplineField(source, f)) || fields.ContainsKey(f)
            || text.TranslationState is not (TranslationStates.Missing or TranslationStates.MachineDraft));
        var state = complete ? TranslationStates.Translated : text.TranslationState ?? TranslationStates.Missing;
        if (text.TranslationState != state)
        {
            changed.Add($"translation state: {text.TranslationState ?? "none"} → {state}");
            text.TranslationState = state;
        }

        if (changed.Count == 0)
        {
            return false;
        }

        audit.Add(actor.Id, actor.Name, AuditTriggers.Person, "edit-helpline-text", "helpline:" + id, culture: culture,
            detail: "Imported from a translation file: " + string.Join(", ", changed));
        return true;
    }

    private sealed class PageImport(TranslationComparison? comparison)
    {
        public TranslationComparison? Comparison { get; } = comparison;

        public Dictionary<string, (string Text, string Where)> Texts { get; } = new(StringComparer.Ordinal);
    }
}
