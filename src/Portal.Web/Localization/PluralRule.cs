namespace Portal.Web.Localization;

/// <summary>
/// A compiled gettext <c>plural=</c> expression (the C subset gettext allows: n, integers,
/// ! * / % + - &lt; &gt; &lt;= &gt;= == != &amp;&amp; || ?: and parentheses).
/// </summary>
public sealed class PluralRule
{
    private readonly Func<long, long> _evaluate;

    private PluralRule(int count, Func<long, long> evaluate, string source)
    {
        Count = count;
        _evaluate = evaluate;
        Source = source;
    }

    public int Count { get; }

    public string Source { get; }

    /// <summary>English-style rule used when a catalogue has no Plural-Forms header.</summary>
    public static PluralRule Default { get; } = Parse("nplurals=2; plural=(n != 1);");

    /// <summary>The plural-form index for <paramref name="n"/>, clamped to the declared count.</summary>
    public int Select(long n)
    {
        var index = _evaluate(Math.Abs(n));
        return index < 0 || index >= Count ? 0 : (int)index;
    }

    /// <summary>Parses a Plural-Forms header value such as <c>nplurals=3; plural=(n==1 ? 0 : 1);</c>.</summary>
    public static PluralRule Parse(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        int? count = null;
        string? expression = null;
        foreach (var part in header.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }

            var name = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            if (name == "nplurals" && int.TryParse(value, out var n) && n is > 0 and < 10)
            {
                count = n;
            }
            else if (name == "plural")
            {
                expression = value;
            }
        }

        if (count is null || expression is null)
        {
            throw new FormatException($"Plural-Forms header is not valid: '{header}'.");
        }

        var parser = new Parser(expression);
        var evaluate = parser.ParseAll();
        return new PluralRule(count.Value, evaluate, header);
    }

    private sealed class Parser(string text)
    {
        private int _pos;

        public Func<long, long> ParseAll()
        {
            var e = Ternary();
            SkipSpace();
            if (_pos != text.Length)
            {
                throw Error("unexpected text");
            }

            return e;
        }

        private Func<long, long> Ternary()
        {
            var condition = Or();
            if (!Take("?"))
            {
                return condition;
            }

            var whenTrue = Ternary();
            if (!Take(":"))
            {
                throw Error("expected ':'");
            }

            var whenFalse = Ternary();
            return n => condition(n) != 0 ? whenTrue(n) : whenFalse(n);
        }

        private Func<long, long> Or()
        {
            var left = And();
            while (Take("||"))
            {
                var l = left;
                var r = And();
                left = n => l(n) != 0 || r(n) != 0 ? 1 : 0;
            }

            return left;
        }

        private Func<long, long> And()
        {
            var left = Equality();
            while (Take("&&"))
            {
                var l = left;
                var r = Equality();
                left = n => l(n) != 0 && r(n) != 0 ? 1 : 0;
            }

            return left;
        }

        private Func<long, long> Equality()
        {
            var left = Relational();
            while (true)
            {
                var l = left;
                if (Take("=="))
                {
                    var r = Relational();
                    left = n => l(n) == r(n) ? 1 : 0;
                }
                else if (Take("!="))
                {
                    var r = Relational();
                    left = n => l(n) != r(n) ? 1 : 0;
                }
                else
                {
                    return left;
                }
            }
        }

        private Func<long, long> Relational()
        {
            var left = Additive();
            while (true)
            {
                var l = left;
                if (Take("<="))
                {
                    var r = Additive();
                    left = n => l(n) <= r(n) ? 1 : 0;
                }
                else if (Take(">="))
                {
                    var r = Additive();
                    left = n => l(n) >= r(n) ? 1 : 0;
                }
                else if (Take("<"))
                {
                    var r = Additive();
                    left = n => l(n) < r(n) ? 1 : 0;
                }
                else if (Take(">"))
                {
                    var r = Additive();
                    left = n => l(n) > r(n) ? 1 : 0;
                }
                else
                {
                    return left;
                }
            }
        }

        private Func<long, long> Additive()
        {
            var left = Multiplicative();
            while (true)
            {
                var l = left;
                if (Take("+"))
                {
                    var r = Multiplicative();
                    left = n => l(n) + r(n);
                }
                else if (Take("-"))
                {
                    var r = Multiplicative();
                    left = n => l(n) - r(n);
                }
                else
                {
                    return left;
                }
            }
        }

        private Func<long, long> Multiplicative()
        {
            var left = Unary();
            while (true)
            {
                var l = left;
                if (Take("*"))
                {
                    var r = Unary();
                    left = n => l(n) * r(n);
                }
                else if (Take("/"))
                {
                    var r = Unary();
                    left = n => r(n) == 0 ? 0 : l(n) / r(n);
                }
                else if (Take("%"))
                {
                    var r = Unary();
                    left = n => r(n) == 0 ? 0 : l(n) % r(n);
                }
                else
                {
                    return left;
                }
            }
        }

        private Func<long, long> Unary()
        {
            if (Peek("!=") is false && Take("!"))
            {
                var operand = Unary();
                return n => operand(n) == 0 ? 1 : 0;
            }

            return Primary();
        }

        private Func<long, long> Primary()
        {
            SkipSpace();
            if (Take("("))
            {
                var inner = Ternary();
                if (!Take(")"))
                {
                    throw Error("expected ')'");
                }

                return inner;
            }

            if (_pos < text.Length && text[_pos] == 'n')
            {
                _pos++;
                return n => n;
            }

            var start = _pos;
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
            {
                _pos++;
            }

            if (start == _pos)
            {
                throw Error("expected a number, 'n' or '('");
            }

            var value = long.Parse(text.AsSpan(start, _pos - start), System.Globalization.CultureInfo.InvariantCulture);
            return _ => value;
        }

        private bool Peek(string token)
        {
            SkipSpace();
            return string.CompareOrdinal(text, _pos, token, 0, token.Length) == 0;
        }

        private bool Take(string token)
        {
            if (!Peek(token))
            {
                return false;
            }

            _pos += token.Length;
            return true;
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        private FormatException Error(string what) =>
            new($"Plural expression '{text}' is not valid at position {_pos}: {what}.");
    }
}
