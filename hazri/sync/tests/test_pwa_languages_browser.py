"""The offline app in Russian and Persian in a real Chromium: a Russian user gets the
app in Russian (plural forms by CLDR category, the marking screen's texts, Russian
dates); switched to Persian it reads right to left, with Jalali dates and Persian
digits. One page load for both."""

import pytest
from playwright.sync_api import Browser

from hazri.org.selectors import school_today
from hazri.sync.tests.languages import (  # noqa: F401
    JALALI_MONTHS,
    app_languages,
    jalali,
    persian_digits,
)
from hazri.sync.tests.pwa_support import log_in, phone_context, screenshot, small_targets
from hazri.testing.browser import sideways
from hazri.testing.world import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("app_languages"),
]

PHOTOS = "c => HazriI18n.n('%(count)s photo', '%(count)s photos', c)"


def test_the_app_in_russian_and_in_persian(live_server, morning: World, browser: Browser) -> None:  # type: ignore[no-untyped-def]
    world = morning
    world.ravi.language = "ru"
    world.ravi.save(update_fields=["language"])
    today = school_today(world.school)
    section = f'[data-section="{world.section.pk}"]'
    with phone_context(browser) as context:
        page = context.new_page()
        log_in(page, live_server.url)  # the app follows the user's language
        page.wait_for_selector("html[lang=ru][dir=ltr]")
        assert page.get_attribute(".lang-switch button[lang=ru]", "aria-pressed") == "true"

        # Russian plurals: one (1, 21), few (3, 22), many (5, 11, 0).
        counts = [1, 3, 5, 21, 11, 22, 0]
        shown = [page.evaluate(PHOTOS, c) for c in counts]
        assert shown == [
            "1 фотография",
            "3 фотографии",
            "5 фотографий",
            "21 фотография",
            "11 фотографий",
            "22 фотографии",
            "0 фотографий",
        ]
        assert "По списку: 5" in page.locator(f"{section} .section-head").inner_text()
        label = page.locator("[data-school] .day-label").inner_text()
        assert "Сегодня" in label
        assert str(today.day) in label and any(
            "а" <= c <= "я" for c in label.replace("Сегодня", "")
        )

        # The marking screen in Russian.
        page.click(f'{section} [data-meeting="1"] a.mark-button')
        page.wait_for_selector("form[data-marking=student]")
        assert page.locator("form[data-marking] button[type=submit]").inner_text() == (
            "Сохранить посещаемость"
        )
        assert "Всего 5" in page.locator(".tally").inner_text()
        screenshot(page, "pwa-marking-ru.png")

        # Persian: right to left, the border of a mark on the right, Persian digits.
        page.click(".lang-switch button[lang=fa]")
        page.wait_for_selector("html[lang=fa][dir=rtl]")
        assert page.locator(".tally-total strong").inner_text() == persian_digits(5)
        assert page.locator("form[data-marking] button[type=submit]").inner_text() == (
            "ذخیرهٔ حضور و غیاب"
        )
        border = page.eval_on_selector(
            "li[data-member]",
            "n => [getComputedStyle(n).borderRightWidth, getComputedStyle(n).borderLeftWidth]",
        )
        assert border == ["6px", "0px"]
        assert page.locator("a.back").inner_text().startswith("→")
        window = page.locator("p.window").inner_text()  # when the roll call opens, closes
        assert persian_digits(0) in window and not any(c.isascii() and c.isdigit() for c in window)
        screenshot(page, "pwa-marking-fa.png")

        # The Jalali day on the day's header, the count in Persian digits.
        page.goto(f"{live_server.url}/app/#/")
        page.wait_for_selector(f"{section} .section-head")
        _, month, day = jalali(today.year, today.month, today.day)
        label = page.locator("[data-school] .day-label").inner_text()
        assert JALALI_MONTHS[month - 1] in label and persian_digits(day) in label, label
        assert "امروز" in label
        head = page.locator(f"{section} .section-head").inner_text()
        assert "در فهرست ثبت‌نام: " + persian_digits(5) in head
        assert page.evaluate("HazriI18n.num(1234567)") == "۱٬۲۳۴٬۵۶۷"
        assert page.evaluate(PHOTOS, 3) == persian_digits(3) + " عکس"
        assert not sideways(page)
        assert small_targets(page) == []
        screenshot(page, "pwa-today-fa.png")

        # English and Hindi counts in Indian grouping.
        page.click(".lang-switch button[lang=hi]")
        page.wait_for_selector("html[lang=hi][dir=ltr]")
        assert page.evaluate("HazriI18n.num(100000)") == "1,00,000"
        page.click(".lang-switch button[lang=en]")
        page.wait_for_selector("html[lang=en][dir=ltr]")
        assert page.evaluate("HazriI18n.num(100000)") == "1,00,000"
