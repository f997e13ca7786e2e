using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Helplines;

namespace Portal.Web.Content;

/// <summary>
/// Reads <c>content/</c> and <c>translations/</c> into an empty database. Every file is checked
/// first and nothing is written unless all of them are valid, so a bad file never leaves half a site.
/// </summary>
public static partial class ContentImport
{
    public static readonly IReadOnlyList<string> TranslationStates = ["machine-draft", "translated", "reviewed"];

    public static readonly IReadOnlyList<string> HelplineAudiences = ["everyone", "women", "men", "lgbt", "young-people", "harming"];

    public sealed record Result(int Pages, int Variants, int Helplines, int Languages);

    public static async Task<Result> ImportAsync(PortalDb db, string contentDirectory, string translationsDirectory, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (await db.Documents.AnyAsync(ct) || await db.Settings.AnyAsync(ct))
        {
            throw new ContentException("The database already holds content: import only fills an empty database.");
        }

        var site = ContentText.ReadYaml<SiteFile>(Path.Combine(contentDirectory, "site.yaml"));
        var languages = CheckSite(site, contentDirectory);
        var cultures = languages.Select(l => l.Tag).ToList();
        var source = site.DefaultLanguage;

        db.Settings.Add(new SiteSettingsRow
        {
            DefaultLanguage = source,
            OrganisationName = site.Organisation.Name,
            OrganisationPhone = site.Organisation.Phone,
            OrganisationEmail = site.Organisation.Email,
            OrganisationAddress = site.Organisation.Address,
            QuickExitUrl = site.QuickExit.Url,
            DiscreetEnabled = site.Discreet.Enabled,
            DiscreetName = site.Discreet.Name,
            ResponseWorkingDays = site.ResponseWorkingDays,
        });
        db.Languages.AddRange(languages);
        db.Revisions.Add(new ContentRevision { Revision = 1 });
        db.Audit.Add(new Backoffice.AuditEntry
        {
            AtUtc = now,
            Actor = "import",
            ActorName = "import",
            Trigger = Backoffice.AuditTriggers.Import,
            Action = "import",
            Detail = "Content imported from the shipped folders into an empty database.",
        });

        var holidaysPath = Path.Combine(contentDirectory, "bank-holidays.yaml");
        if (File.Exists(holidaysPath))
        {
            var seen = new HashSet<DateOnly>();
            foreach (var h in ContentText.ReadYaml<BankHolidaysFile>(holidaysPath).Dates)
            {
                if (!DateOnly.TryParseExact(h.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || !seen.Add(date))
                {
                    throw new ContentException($"{holidaysPath}: '{h.Date}' is not a new date in the form YYYY-MM-DD.");
                }

                db.BankHolidays.Add(new BankHoliday { Date = date, Name = Required(h.Name, holidaysPath, "name") });
            }
        }

        var pictureNames = new HashSet<string>(StringComparer.Ordinal);
        var picturesDir = Path.Combine(contentDirectory, "pictures");
        if (Directory.Exists(picturesDir))
        {
            foreach (var path in Directory.GetFiles(picturesDir, "*.svg").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(path);
                CheckSlug(name, path);
                var text = ContentText.ReadFile(path);
                SvgPictures.Parse(text, path);
                db.Pictures.Add(new Picture { Name = name, Svg = text });
                pictureNames.Add(name);
            }
        }

        var pages = 0;
        var variants = 0;
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        var pagesDir = Path.Combine(contentDirectory, "pages");
        foreach (var dir in Directory.GetDirectories(pagesDir).Order(StringComparer.Ordinal))
        {
            var slug = Path.GetFileName(dir);
            CheckSlug(slug, dir);
            var docPath = Path.Combine(dir, "document.yaml");
            var doc = ContentText.ReadYaml<DocumentFile>(docPath);
            if (!Layouts.All.Contains(doc.Layout))
            {
                throw new ContentException($"{docPath}: layout '{doc.Layout}' is not one of {string.Join(", ", Layouts.All)}.");
            }

            db.Documents.Add(new PageDocument
            {
                Slug = slug,
                Layout = doc.Layout,
                Order = doc.Order,
                Navigation = doc.Navigation,
                SafetyCritical = doc.SafetyCritical,
                Toc = doc.Toc,
            });
            slugs.Add(slug);
            pages++;

            foreach (var file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
            {
                var fileName = Path.GetFileName(file);
                if (fileName == "document.yaml")
                {
                    continue;
                }

                var (culture, audience) = ParseVariantFileName(fileName, file);
                if (culture != source)
                {
                    throw new ContentException($"{file}: content/pages holds only the source language ({source}); translations go in translations/{culture}/pages/.");
                }

                AddVersion(db, slug, culture, audience, file, isSource: true, now);
                variants++;
            }

            if (!File.Exists(Path.Combine(dir, source + ".md")))
            {
                throw new ContentException($"{dir}: every page needs {source}.md.");
            }
        }

        var helplineIds = new HashSet<string>(StringComparer.Ordinal);
        var helplinesDir = Path.Combine(contentDirectory, "helplines");
        if (Directory.Exists(helplinesDir))
        {
            foreach (var path in Directory.GetFiles(helplinesDir, "*.yaml").Order(StringComparer.Ordinal))
            {
                var id = Path.GetFileNameWithoutExtension(path);
                CheckSlug(id, path);
                var file = ContentText.ReadYaml<HelplineFile>(path);
                db.Helplines.Add(CheckHelpline(id, file, path));
                db.HelplineTexts.Add(new HelplineText
                {
                    HelplineId = id,
                    Culture = source,
                    Name = Required(file.Name, path, "name"),
                    Description = Required(file.Description, path, "description"),
                    HoursNote = file.HoursNote,
                });
                helplineIds.Add(id);
            }
        }

        foreach (var culture in cultures.Where(c => c != source))
        {
            var root = Path.Combine(translationsDirectory, culture);
            var translatedPages = Path.Combine(root, "pages");
            if (Directory.Exists(translatedPages))
            {
                foreach (var file in Directory.GetFiles(translatedPages, "*.md").Order(StringComparer.Ordinal))
                {
                    var name = Path.GetFileName(file);
                    var audience = name.EndsWith(".easy-read.md", StringComparison.Ordinal) ? Audiences.EasyRead : Audiences.Standard;
                    var slug = name[..^(audience == Audiences.EasyRead ? ".easy-read.md".Length : ".md".Length)];
                    if (!slugs.Contains(slug))
                    {
                        throw new ContentException($"{file}: there is no page '{slug}' in content/pages.");
                    }

                    if (!File.Exists(Path.Combine(pagesDir, slug, source + (audience == Audiences.EasyRead ? ".easy-read.md" : ".md"))))
                    {
                        throw new ContentException($"{file}: the source page has no {audience} variant to translate.");
                    }

                    AddVersion(db, slug, culture, audience, file, isSource: false, now);
                    variants++;
                }
            }

            var translatedHelplines = Path.Combine(root, "helplines");
            if (Directory.Exists(translatedHelplines))
            {
                foreach (var path in Directory.GetFiles(translatedHelplines, "*.yaml").Order(StringComparer.Ordinal))
                {
                    var id = Path.GetFileNameWithoutExtension(path);
                    if (!helplineIds.Contains(id))
                    {
                        throw new ContentException($"{path}: there is no helpline '{id}' in content/helplines.");
                    }

                    var t = ContentText.ReadYaml<HelplineTranslationFile>(path);
                    db.HelplineTexts.Add(new HelplineText
                    {
                        HelplineId = id,
                        Culture = culture,
                        Name = Required(t.Name, path, "name"),
                        Description = Required(t.Description, path, "description"),
                        HoursNote = t.HoursNote,
                        TranslationState = CheckState(t.State, path),
                    });
                }
            }
        }

        Translation.TranslationTracking.StampImported(db.PageVersions.Local, source);
        await db.SaveChangesAsync(ct);
        Translation.TranslationTracking.LinkImportedSources(db.PageVersions.Local, source);

        // Point each variant at its first version: the import publishes what the files say.
        var versions = await db.PageVersions.AsNoTracking().ToListAsync(ct);
        foreach (var v in versions)
        {
            db.PageVariants.Add(new PageVariant
            {
                Slug = v.Slug,
                Culture = v.Culture,
                Audience = v.Audience,
                PublishedVersionId = v.Id,
                PublishedUtc = now,
            });
        }

        await db.SaveChangesAsync(ct);
        return new Result(pages, variants, helplineIds.Count, languages.Count);
    }

    private static void AddVersion(PortalDb db, string slug, string culture, string audience, string file, bool isSource, DateTimeOffset now)
    {
        var (meta, body) = ContentText.ReadMarkdown(file);
        if (isSource && meta.State is not null)
        {
            throw new ContentException($"{file}: the source language has no translation state.");
        }

        db.PageVersions.Add(new PageVersion
        {
            Slug = slug,
            Culture = culture,
            Audience = audience,
            Number = 1,
            Title = meta.Title.Trim(),
            NavTitle = meta.NavTitle,
            Description = meta.Description,
            Body = body,
            TranslationState = isSource ? null : CheckState(meta.State, file),
            CreatedUtc = now,
            CreatedBy = "import",
        });
    }

    private static (string Culture, string Audience) ParseVariantFileName(string fileName, string path)
    {
        if (fileName.EndsWith(".easy-read.md", StringComparison.Ordinal))
        {
            return (fileName[..^".easy-read.md".Length], Audiences.EasyRead);
        }

        if (fileName.EndsWith(".md", StringComparison.Ordinal))
        {
            return (fileName[..^".md".Length], Audiences.Standard);
        }

        throw new ContentException($"{path}: unexpected file (a page folder holds document.yaml, <culture>.md and <culture>.easy-read.md).");
    }

    private static string CheckState(string? state, string path) =>
        state is not null && TranslationStates.Contains(state)
            ? state
            : throw new ContentException($"{path}: a translation needs 'state' set to one of {string.Join(", ", TranslationStates)}.");

    private static List<SiteLanguageRow> CheckSite(SiteFile site, string contentDirectory)
    {
        var path = Path.Combine(contentDirectory, "site.yaml");
        Required(site.Organisation.Name, path, "organisation.name");
        Required(site.Discreet.Name, path, "discreet.name");
        if (!Uri.TryCreate(site.QuickExit.Url, UriKind.Absolute, out var exit) || (exit.Scheme != "https" && exit.Scheme != "http"))
        {
            throw new ContentException($"{path}: quick_exit.url must be an absolute http(s) address.");
        }

        if (site.ResponseWorkingDays is < 1 or > 10)
        {
            throw new ContentException($"{path}: response_working_days must be between 1 and 10.");
        }

        var rows = new List<SiteLanguageRow>();
        var tags = site.Languages.Select(l => l.Tag).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < site.Languages.Count; i++)
        {
            var l = site.Languages[i];
            if (!LanguageTag().IsMatch(l.Tag))
            {
                throw new ContentException($"{path}: '{l.Tag}' is not a language tag.");
            }

            try
            {
                _ = CultureInfo.GetCultureInfo(l.Tag, predefinedOnly: true);
            }
            catch (CultureNotFoundException)
            {
                throw new ContentException($"{path}: this system has no culture data for '{l.Tag}'.");
            }

            if (l.Dir is not ("ltr" or "rtl"))
            {
                throw new ContentException($"{path}: dir for {l.Tag} must be ltr or rtl.");
            }

            foreach (var f in l.Fallback)
            {
                if (!tags.Contains(f) || f == l.Tag)
                {
                    throw new ContentException($"{path}: fallback '{f}' of {l.Tag} is not another listed language.");
                }
            }

            rows.Add(new SiteLanguageRow
            {
                Tag = l.Tag,
                Order = i,
                Name = Required(l.Name, path, $"languages[{i}].name"),
                Dir = l.Dir,
                Fallback = string.Join(',', l.Fallback),
            });
        }

        if (!tags.Contains(site.DefaultLanguage))
        {
            throw new ContentException($"{path}: default_language '{site.DefaultLanguage}' is not a listed language.");
        }

        if (tags.Count != site.Languages.Count)
        {
            throw new ContentException($"{path}: a language is listed twice.");
        }

        return rows;
    }

    private static Helpline CheckHelpline(string id, HelplineFile file, string path)
    {
        if (file.Audiences.Count == 0 || file.Audiences.Any(a => !HelplineAudiences.Contains(a)))
        {
            throw new ContentException($"{path}: audiences must be some of {string.Join(", ", HelplineAudiences)}.");
        }

        if (file.BankHolidays is not ("open" or "closed"))
        {
            throw new ContentException($"{path}: bank_holidays must be open or closed.");
        }

        if (file.AlwaysOpen == file.Hours.Count > 0)
        {
            throw new ContentException($"{path}: give either always_open: true or a list of hours, not both or neither.");
        }

        if (file.Phone is null && file.Text is null && file.Email is null && file.Chat is null && file.Web is null)
        {
            throw new ContentException($"{path}: a helpline needs at least one way to reach it.");
        }

        foreach (var web in new[] { file.Chat, file.Web }.OfType<string>())
        {
            if (!Uri.TryCreate(web, UriKind.Absolute, out var u) || u.Scheme != "https")
            {
                throw new ContentException($"{path}: '{web}' must be an https address.");
            }
        }

        string hours;
        try
        {
            hours = WeeklyHours.Format(file.Hours.Select(h => WeeklyHours.Period(h.Days, h.Opens, h.Closes)));
        }
        catch (FormatException e)
        {
            throw new ContentException($"{path}: {e.Message}");
        }

        return new Helpline
        {
            Id = id,
            Order = file.Order,
            Phone = file.Phone,
            Text = file.Text,
            Email = file.Email,
            Chat = file.Chat,
            Web = file.Web,
            AlwaysOpen = file.AlwaysOpen,
            BankHolidays = file.BankHolidays,
            Audiences = string.Join(',', file.Audiences),
            Hours = hours,
        };
    }

    private static void CheckSlug(string slug, string path)
    {
        if (!Slug().IsMatch(slug))
        {
            throw new ContentException($"{path}: '{slug}' must be lower-case letters, digits and hyphens.");
        }
    }

    private static string Required(string? value, string path, string key) =>
        string.IsNullOrWhiteSpace(value) ? throw new ContentException($"{path}: '{key}' is required.") : value;

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Slug();

    [GeneratedRegex("^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$")]
    private static partial Regex LanguageTag();
}
