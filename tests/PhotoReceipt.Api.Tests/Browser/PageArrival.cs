using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PhotoReceipt.Api.Tests.Browser;

/// <summary>
/// Waits until a page shows an address, by polling its URL. Not <c>WaitForURLAsync</c>: that checks the URL and
/// then subscribes to the load-state events, and an event delivered in between is lost, so it waits out its whole
/// timeout on a page that has long loaded (microsoft/playwright-dotnet#3364; seen here in full test runs).
/// What a test needs from the page (its text, its images) it waits for itself.
/// </summary>
public static class PageArrival
{
    private static readonly PageAssertionsToHaveURLOptions Patience = new() { Timeout = 60_000 };

    public static Task ArrivedAtAsync(this IPage page, string url) => Assertions.Expect(page).ToHaveURLAsync(url, Patience);

    public static Task ArrivedAtAsync(this IPage page, Regex url) => Assertions.Expect(page).ToHaveURLAsync(url, Patience);
}
