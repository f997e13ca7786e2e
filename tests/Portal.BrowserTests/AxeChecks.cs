using Deque.AxeCore.Commons;

namespace Portal.BrowserTests;

/// <summary>What every browser test checks with axe: WCAG 2.2 AA and best practice, violations only.</summary>
internal static class AxeChecks
{
    public static readonly AxeRunOptions Options = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
        ResultTypes = [ResultType.Violations],
    };
}
