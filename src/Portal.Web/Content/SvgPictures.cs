using System.Net;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Portal.Web.Content;

/// <summary>
/// Checks easy-read pictures against a small list of drawing elements and attributes, so a picture
/// can carry no script, style, link or outside reference into the page.
/// </summary>
public static class SvgPictures
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly HashSet<string> Elements = new(StringComparer.Ordinal)
    {
        "g", "path", "circle", "ellipse", "rect", "line", "polyline", "polygon",
    };

    private static readonly HashSet<string> Attributes = new(StringComparer.Ordinal)
    {
        "d", "cx", "cy", "r", "rx", "ry", "x", "y", "width", "height", "x1", "y1", "x2", "y2", "points",
        "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "stroke-dasharray",
        "fill-rule", "clip-rule", "transform", "opacity", "fill-opacity", "stroke-opacity",
    };

    public static SvgPicture Parse(string svgText, string name)
    {
        XDocument doc;
        try
        {
            using var reader = XmlReader.Create(new StringReader(svgText), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
            });
            doc = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new ContentException($"{name}: not well-formed SVG ({e.Message}).");
        }

        var root = doc.Root!;
        if (root.Name != Svg + "svg")
        {
            throw new ContentException($"{name}: the root element must be <svg> in the SVG namespace.");
        }

        foreach (var attribute in root.Attributes())
        {
            if (!attribute.IsNamespaceDeclaration && attribute.Name.LocalName != "viewBox")
            {
                throw new ContentException($"{name}: <svg> may only have viewBox (found '{attribute.Name.LocalName}').");
            }
        }

        var viewBox = root.Attribute("viewBox")?.Value ?? throw new ContentException($"{name}: <svg> needs a viewBox.");
        var inner = new StringBuilder();
        foreach (var child in root.Elements())
        {
            WriteElement(child, inner, name);
        }

        return new SvgPicture(viewBox, inner.ToString());
    }

    private static void WriteElement(XElement element, StringBuilder sb, string name)
    {
        if (element.Name.Namespace != Svg || !Elements.Contains(element.Name.LocalName))
        {
            throw new ContentException($"{name}: <{element.Name.LocalName}> is not allowed in a picture.");
        }

        sb.Append('<').Append(element.Name.LocalName);
        foreach (var attribute in element.Attributes())
        {
            var local = attribute.Name.LocalName;
            if (attribute.Name.Namespace != XNamespace.None || !Attributes.Contains(local))
            {
                throw new ContentException($"{name}: the attribute '{local}' is not allowed in a picture.");
            }

            if (attribute.Value.Contains("url(", StringComparison.OrdinalIgnoreCase))
            {
                throw new ContentException($"{name}: references (url(…)) are not allowed in a picture.");
            }

            sb.Append(' ').Append(local).Append("=\"").Append(WebUtility.HtmlEncode(attribute.Value)).Append('"');
        }

        if (element.Nodes().OfType<XText>().Any(t => !string.IsNullOrWhiteSpace(t.Value)))
        {
            throw new ContentException($"{name}: text is not allowed inside a picture.");
        }

        var children = element.Elements().ToList();
        if (children.Count == 0)
        {
            sb.Append("/>");
            return;
        }

        sb.Append('>');
        foreach (var child in children)
        {
            WriteElement(child, sb, name);
        }

        sb.Append("</").Append(element.Name.LocalName).Append('>');
    }
}
