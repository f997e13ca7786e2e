using System.Net;
using System.Text;
using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Extensions.CustomContainers;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Portal.Web.Content;

public sealed record TocEntry(string Id, string Text);

public sealed record RenderedMarkdown(string Html, IReadOnlyList<TocEntry> Toc);

/// <summary>
/// Turns page Markdown into HTML with raw HTML disabled: anything that looks like a tag is shown
/// as text. Links are checked (only http, https, mailto, tel, fragments and site paths survive),
/// site paths get the reader's language, and <c>picture:</c> images become inline SVG.
/// </summary>
public static partial class MarkdownRenderer
{
    internal static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseAutoIdentifiers(AutoIdentifierOptions.GitHub)
        .UsePipeTables()
        .UseCustomContainers()
        .Build();

    private static readonly HashSet<string> Containers = new(StringComparer.Ordinal) { "emergency", "note" };

    /// <param name="markdown">The page body.</param>
    /// <param name="linkCulture">The language prefixed to site paths (the reader's, even for fallback text).</param>
    /// <param name="pictures">Picture markup by name.</param>
    public static RenderedMarkdown Render(string markdown, string linkCulture, IReadOnlyDictionary<string, SvgPicture> pictures)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var document = Markdown.Parse(markdown, Pipeline);
        var toc = new List<TocEntry>();

        foreach (var block in document.Descendants().ToList())
        {
            switch (block)
            {
                case HeadingBlock heading when heading.Level == 2 && heading.GetAttributes().Id is { } id:
                    toc.Add(new TocEntry(id, PlainText(heading.Inline)));
                    break;
                case CustomContainer container:
                    var name = container.Info is { } info && Containers.Contains(info) ? info : "note";
                    container.SetAttributes(new HtmlAttributes { Classes = ["app-panel", "app-panel--" + name] });
                    break;
            }
        }

        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (link.IsImage)
            {
                ReplaceImage(link, pictures);
            }
            else
            {
                RewriteLink(link, linkCulture);
            }
        }

        IsolatePhoneNumbers(document);

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.ObjectRenderers.ReplaceOrAdd<ParagraphRenderer>(new PictureParagraphRenderer());
        renderer.Render(document);
        writer.Flush();
        return new RenderedMarkdown(writer.ToString(), toc);
    }

    private static void ReplaceImage(LinkInline image, IReadOnlyDictionary<string, SvgPicture> pictures)
    {
        var alt = PlainText(image);
        var url = image.Url ?? "";
        if (url.StartsWith("picture:", StringComparison.Ordinal) &&
            pictures.TryGetValue(url["picture:".Length..], out var picture) &&
            image.Parent is { } parent &&
            parent.ParentBlock is ParagraphBlock paragraph &&
            paragraph.GetData(PictureKey) is null)
        {
            paragraph.SetData(PictureKey, picture.Markup(alt));
            image.Remove();
            if (parent.FirstChild is LiteralInline lead)
            {
                lead.Content = lead.Content.ToString().TrimStart() is var trimmed && trimmed.Length > 0
                    ? new Markdig.Helpers.StringSlice(trimmed)
                    : lead.Content;
            }

            return;
        }

        // Other images would be requests to somewhere else, or are unknown pictures: show the words.
        image.ReplaceBy(new LiteralInline(alt));
    }

    private const string PictureKey = "app-picture";

    private static void RewriteLink(LinkInline link, string linkCulture)
    {
        var url = (link.Url ?? "").Trim();
        if (url.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
        {
            var digits = new string(url[4..].Where(c => char.IsAsciiDigit(c) || c == '+').ToArray());
            if (digits.Length == 0)
            {
                Unwrap(link);
                return;
            }

            link.Url = "tel:" + digits;
            // Phone numbers read left to right in every language; dir isolates them in Urdu and Arabic.
            link.GetAttributes().AddProperty("dir", "ltr");
            link.GetAttributes().AddClass("app-tel");
            return;
        }

        if (url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ||
            url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ||
            url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            link.Url = url;
            return;
        }

        if (url.StartsWith('#'))
        {
            return;
        }

        if (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal))
        {
            link.Url = "/" + linkCulture + (url == "/" ? "" : url);
            return;
        }

        // javascript:, data:, protocol-relative and anything else we do not recognise.
        Unwrap(link);
    }

    /// <summary>
    /// A number written as groups of digits ("0808 2000 247", "116 123") reads left to right in every
    /// language, but in Urdu or Arabic text the groups would be laid out right to left and the number
    /// misdialled. Each is isolated in a left-to-right <c>bdi</c>; links to numbers already carry <c>dir</c>.
    /// </summary>
    private static void IsolatePhoneNumbers(MarkdownDocument document)
    {
        foreach (var literal in document.Descendants<LiteralInline>().ToList())
        {
            if (literal.FindParentOfType<LinkInline>().Any())
            {
                continue;
            }

            var text = literal.Content.ToString();
            var matches = PhoneNumber().Matches(text);
            if (matches.Count == 0)
            {
                continue;
            }

            var at = 0;
            Inline last = literal;
            void Add(Inline inline)
            {
                last.InsertAfter(inline);
                last = inline;
            }

            foreach (System.Text.RegularExpressions.Match m in matches)
            {
                if (m.Value.Count(char.IsAsciiDigit) < 6)
                {
                    continue;
                }

                if (m.Index > at)
                {
                    Add(new LiteralInline(text[at..m.Index]));
                }

                Add(new HtmlInline("<bdi dir=\"ltr\">"));
                Add(new LiteralInline(m.Value));
                Add(new HtmlInline("</bdi>"));
                at = m.Index + m.Length;
            }

            if (at == 0)
            {
                continue;
            }

            if (at < text.Length)
            {
                Add(new LiteralInline(text[at..]));
            }

            literal.Remove();
        }
    }

    /// <summary>Plain text as HTML, with each phone number isolated left to right as on the public pages.</summary>
    public static string EncodeIsolatingNumbers(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var html = new StringBuilder(text.Length + 32);
        var at = 0;
        foreach (System.Text.RegularExpressions.Match m in PhoneNumber().Matches(text))
        {
            if (m.Value.Count(char.IsAsciiDigit) < 6)
            {
                continue;
            }

            html.Append(WebUtility.HtmlEncode(text[at..m.Index])).Append("<bdi dir=\"ltr\">").Append(WebUtility.HtmlEncode(m.Value)).Append("</bdi>");
            at = m.Index + m.Length;
        }

        return html.Append(WebUtility.HtmlEncode(text[at..])).ToString();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\d+])\+?\d{2,5}(?: \d{2,6}){1,3}(?!\d)")]
    private static partial System.Text.RegularExpressions.Regex PhoneNumber();

    private static void Unwrap(LinkInline link)
    {
        var parent = link.Parent!;
        var children = link.ToList();
        foreach (var child in children)
        {
            child.Remove();
            link.InsertBefore(child);
        }

        link.Remove();
        _ = parent;
    }

    public static string PlainText(ContainerInline? inline)
    {
        if (inline is null)
        {
            return "";
        }

        var sb = new StringBuilder();
        foreach (var node in inline.Descendants())
        {
            switch (node)
            {
                case LiteralInline literal:
                    sb.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    sb.Append(code.Content);
                    break;
                case LineBreakInline:
                    sb.Append(' ');
                    break;
            }
        }

        return sb.ToString().Trim();
    }

    /// <summary>Writes a paragraph that begins with a picture as a picture-and-text row.</summary>
    private sealed class PictureParagraphRenderer : ParagraphRenderer
    {
        protected override void Write(HtmlRenderer renderer, ParagraphBlock obj)
        {
            if (obj.GetData(PictureKey) is not string picture)
            {
                base.Write(renderer, obj);
                return;
            }

            renderer.EnsureLine();
            renderer.Write("<div class=\"app-easy-read__item\">");
            renderer.Write("<span class=\"app-easy-read__picture\">").Write(picture).Write("</span>");
            renderer.Write("<p class=\"app-easy-read__text\">");
            renderer.WriteLeafInline(obj);
            renderer.WriteLine("</p></div>");
        }
    }
}

/// <summary>A checked SVG picture: its viewBox and inner markup, written inline with alt text.</summary>
public sealed record SvgPicture(string ViewBox, string Inner)
{
    public string Markup(string alt) =>
        $"<svg class=\"app-picture\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{WebUtility.HtmlEncode(ViewBox)}\" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(alt)}\" focusable=\"false\">{Inner}</svg>";
}
