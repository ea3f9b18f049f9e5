using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TrialFinder.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace TrialFinder.BrowserTests.Features;

/// <summary>Issue 4: families search by age, place and therapy on a phone, in English or French, with or without a mouse.</summary>
public sealed partial class FamilySearchTests(SearchSiteFixture fixture) : IClassFixture<SearchSiteFixture>
{
    private const int PhoneWidth = 360;

    [Fact]
    public async Task A_family_on_a_phone_finds_anti_GD2_trials_nearest_Lyon_first_and_reads_a_trial_page()
    {
        await using var context = await fixture.Chromium.NewContextAsync(fixture.Site, new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = PhoneWidth, Height = 740 },
            IsMobile = true,
            HasTouch = true,
            DeviceScaleFactor = 2,
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 }))
            .ToHaveTextAsync("Find a clinical trial for neuroblastoma or a neuroendocrine tumour");
        await AssertNoHorizontalScrollAsync(page);

        await page.GetByLabel("Age of the patient in years").FillAsync("3");
        await page.GetByLabel("Near a city, town or postcode").FillAsync("Lyon");
        // No anti-GD2 trial of the shipped snapshot has a site within the default 100 km of Lyon: the family is ready to travel.
        await page.GetByLabel("Distance", new() { Exact = true }).FillAsync("10000");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Anti-GD2 immunotherapy" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Find trials" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"/trials\?.*age=3.*near=Lyon.*therapy=anti-gd2"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Clinical trials");
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync(new Regex(@"\d+ trials with a site within 10000 km of Lyon"));
        var results = page.Locator("ol.results > li.result");
        await Expect(results.First).ToBeVisibleAsync();
        Assert.True(await results.CountAsync() >= 2, "expected several anti-GD2 trials within 10,000 km of Lyon");

        // Nearest first, each with its nearest site and that site's distance in km.
        var distances = new List<double>();
        foreach (var result in await results.AllAsync())
        {
            await Expect(result.Locator("dt", new() { HasText = "Nearest site" })).ToBeVisibleAsync();
            await Expect(result.GetByText("Anti-GD2 immunotherapy")).ToBeVisibleAsync();
            var distance = await result.Locator("dt:text-is('Nearest site') + dd strong").InnerTextAsync();
            var match = Kilometres().Match(distance);
            Assert.True(match.Success, $"'{distance}' is not a distance in km");
            distances.Add(double.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture));
        }

        Assert.Equal(distances.Order().ToList(), distances);
        Assert.InRange(distances[0], 50, 200); // Geneva, the nearest site of any of them, is about 112 km from Lyon
        await AssertNoHorizontalScrollAsync(page);

        var nearest = results.First.Locator("h2 a");
        var title = await nearest.InnerTextAsync();
        await nearest.ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"/trials/NCT\d{8}\?"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(title);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "What this trial is about" })).ToBeVisibleAsync();
        await Expect(page.Locator("section[aria-labelledby=summary-heading] .registry-text")).Not.ToBeEmptyAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Who can join" })).ToBeVisibleAsync();
        await Expect(page.Locator("section[aria-labelledby=who-heading] dt", new() { HasText = "Ages" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Treatments in this trial" })).ToBeVisibleAsync();
        var antiGd2 = page.Locator(".tag-reasons li", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "Anti-GD2 immunotherapy" }) });
        await Expect(antiGd2.Locator(".why")).ToContainTextAsync(new Regex("Tagged because of the .+ “.+”"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex(@"^Sites \(\d+\)$") })).ToBeVisibleAsync();
        await Expect(page.GetByText(new Regex("^Sorted by distance from Lyon"))).ToBeVisibleAsync();
        var firstSite = page.Locator("ol.sites > li.site").First;
        await Expect(firstSite).ToBeVisibleAsync();
        await Expect(firstSite.Locator(".distance")).ToHaveTextAsync(new Regex(@"^\d[\d,.]* km$"));
        await AssertNoHorizontalScrollAsync(page);

        var screenshot = Chromium.ScreenshotPath("family-search-phone.png");
        File.Delete(screenshot);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(File.Exists(screenshot), screenshot);
        Assert.True(new FileInfo(screenshot).Length > 0, $"{screenshot} is empty");
    }

    [Fact]
    public async Task The_language_switch_turns_the_pages_French_and_back_and_a_French_browser_gets_French_at_once()
    {
        await using (var context = await fixture.Chromium.NewContextAsync(fixture.Site))
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Find trials" })).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Button, new() { Name = "Français" }).ClickAsync();

            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 }))
                .ToHaveTextAsync("Trouver un essai clinique pour un neuroblastome ou une tumeur neuroendocrine");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Trouver des essais" })).ToBeVisibleAsync();
            await Expect(page.GetByLabel("Âge du patient en années")).ToBeVisibleAsync();
            await Expect(page.GetByText("Type de traitement", new() { Exact = true })).ToBeVisibleAsync();

            // The choice is remembered on the next page.
            await page.GetByRole(AriaRole.Button, new() { Name = "Trouver des essais" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/trials"));
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");

            await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();

            await Expect(page).ToHaveURLAsync(new Regex("/trials"));
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Clinical trials");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Français" })).ToBeVisibleAsync();
        }

        await using (var french = await fixture.Chromium.NewContextAsync(fixture.Site, new BrowserNewContextOptions { Locale = "fr-FR" }))
        {
            var page = await french.NewPageAsync();
            await page.GotoAsync("/");
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Trouver des essais" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "English" })).ToBeVisibleAsync();
        }
    }

    [Fact]
    public async Task The_search_form_works_with_the_keyboard_alone_in_order_and_with_a_visible_focus()
    {
        await using var context = await fixture.Chromium.NewContextAsync(fixture.Site);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        var form = page.Locator("form.search-form");
        await Expect(form).ToBeVisibleAsync();
        // The tab order the form should have: its focusable controls in document order.
        var expectedOrder = await form.EvaluateAsync<string[]>(
            """
            form => [...form.querySelectorAll('input:not([type=hidden]), select, textarea, button, summary')]
                .filter(el => !el.disabled && el.offsetParent !== null && !el.closest('details:not([open]) > :not(summary)'))
                .map(el => el.id || (el.name ? el.name + '=' + el.value : el.tagName.toLowerCase() + ':' + el.textContent.trim()))
            """);

        await page.Locator("#field-age").FocusAsync();
        var visited = new List<string> { await FocusedAsync(page) };
        await AssertVisibleFocusAsync(page);
        await page.Keyboard.TypeAsync("3");
        await page.Keyboard.PressAsync("Tab");
        visited.Add(await FocusedAsync(page));
        await page.Keyboard.PressAsync("Tab");
        visited.Add(await FocusedAsync(page));
        Assert.Equal("field-near", visited[^1]);
        await AssertVisibleFocusAsync(page);
        await page.Keyboard.TypeAsync("Lyon");

        // On to the anti-GD2 box, ticked with Space, then on to the submit button.
        for (var step = 0; step < 40 && visited[^1] != "therapy=anti-gd2"; step++)
        {
            await page.Keyboard.PressAsync("Tab");
            visited.Add(await FocusedAsync(page));
        }

        Assert.Equal("therapy=anti-gd2", visited[^1]);
        await AssertVisibleFocusAsync(page);
        await page.Keyboard.PressAsync("Space");
        await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Anti-GD2 immunotherapy" })).ToBeCheckedAsync();

        for (var step = 0; step < 40 && !visited[^1].StartsWith("button:", StringComparison.Ordinal); step++)
        {
            await page.Keyboard.PressAsync("Tab");
            visited.Add(await FocusedAsync(page));
        }

        Assert.Equal("button:Find trials", visited[^1]);
        await AssertVisibleFocusAsync(page);
        Assert.Equal(expectedOrder, visited);
        Assert.Equal(["field-age", "field-ageMonths", "field-near"], visited.Take(3));

        await page.Keyboard.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex(@"/trials\?.*age=3.*near=Lyon.*therapy=anti-gd2"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Clinical trials");
        await Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("of Lyon");
    }

    /// <summary>What has the keyboard focus: an id, name=value for checkboxes, or tag:text.</summary>
    private static Task<string> FocusedAsync(IPage page) =>
        page.EvaluateAsync<string>(
            """
            () => {
                const el = document.activeElement;
                if (!el || el === document.body) return 'body';
                return el.id || (el.name ? el.name + '=' + el.value : el.tagName.toLowerCase() + ':' + el.textContent.trim());
            }
            """);

    private static async Task AssertVisibleFocusAsync(IPage page)
    {
        var style = await page.EvaluateAsync<string[]>(
            """
            () => {
                const s = getComputedStyle(document.activeElement);
                return [s.outlineStyle, s.outlineWidth, document.activeElement.matches(':focus-visible') ? 'focus-visible' : 'no focus-visible'];
            }
            """);
        Assert.NotEqual("none", style[0]);
        Assert.NotEqual("0px", style[1]);
        Assert.Equal("focus-visible", style[2]);
    }

    private static async Task AssertNoHorizontalScrollAsync(IPage page)
    {
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        if (width > PhoneWidth)
        {
            // Name the elements that stick out, to make the failure actionable.
            var culprits = await page.EvaluateAsync<string[]>(
                $$"""
                () => [...document.querySelectorAll('body *')]
                    .filter(el => el.getBoundingClientRect().right > {{PhoneWidth}})
                    .slice(-5)
                    .map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().replace(/\s+/g, '.') : '')
                        + ' right=' + Math.round(el.getBoundingClientRect().right) + ' "' + (el.textContent || '').trim().slice(0, 60) + '"')
                """);
            Assert.Fail($"{page.Url} scrolls sideways on a {PhoneWidth}-px screen: scrollWidth {width}; widest: {string.Join(" | ", culprits)}");
        }
    }

    [GeneratedRegex(@"^([\d,]+(?:\.\d+)?) km$")]
    private static partial Regex Kilometres();
}
