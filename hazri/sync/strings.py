"""The offline app's texts: every string it shows and every one that holds a count,
marked for the catalogues, and their plural forms per language by CLDR category (the
page sends them; pwa/js/i18n.js picks one with Intl.PluralRules)."""

from django.utils import translation
from django.utils.translation import gettext_noop, ngettext_lazy

LANGUAGES = ("en", "hi", "fa", "ru")

# Each language's CLDR plural categories (what Intl.PluralRules(locale).select() can
# answer for a count) and a whole number of each, which the catalogue's ngettext turns
# into that category's form. Russian: one 1, 21, 101…; few 2-4, 22-24…; many 0, 5-20,
# 25…; "other" is for fractions only (1,5 фотографии), which Russian writes like "few".
# English, Hindi and Persian: one and other (CLDR counts 0 as "one" in Hindi and
# Persian, as the singular noun goes with every number there).
PLURAL_SAMPLES: dict[str, dict[str, int]] = {
    "en": {"one": 1, "other": 2},
    "hi": {"one": 1, "other": 2},
    "fa": {"one": 1, "other": 2},
    "ru": {"one": 1, "few": 2, "many": 5, "other": 2},
}

# Every string the app shows (pwa/js: t("…")), by its English text. gettext_noop marks
# them for makemessages; the page carries them in every language of LANGUAGES.
UI_STRINGS = [
    gettext_noop("%(name)s is empty."),
    gettext_noop("%(name)s is not a JPEG, PNG or WebP photo."),
    gettext_noop("%(name)s is too large: a photo is at most 12 MB."),
    gettext_noop("At most 6 photos: the others were left out."),
    gettext_noop("Being processed"),
    gettext_noop("Check the roll call"),
    gettext_noop("Choose 1 to 6 photos."),
    gettext_noop("Class photos"),
    gettext_noop("Class photos: %(what)s"),
    gettext_noop("Could not be processed"),
    gettext_noop("Photo %(number)s"),
    gettext_noop("Photos of this meeting"),
    gettext_noop("Processing progress"),
    gettext_noop("Ready to check"),
    gettext_noop("Remove"),
    gettext_noop("Roll call submitted"),
    gettext_noop("Save photos"),
    gettext_noop("Sending…"),
    gettext_noop("Sent %(sent)s of %(total)s KB"),
    gettext_noop(
        "Take 1 to 6 photos of the whole class from different corners of the room, so that every face is seen. They are kept on this phone and sent when there is a connection; then you check the roll call they propose."
    ),
    gettext_noop("Take or choose more photos"),
    gettext_noop("Take or choose photos"),
    gettext_noop("The photo is no longer on this phone."),
    gettext_noop("The photos could not be processed."),
    gettext_noop("The photos propose a roll call: check it and submit it."),
    gettext_noop("The roll call from these photos is submitted."),
    gettext_noop("The server did not accept these photos:"),
    gettext_noop("The server has the photos; they wait to be processed."),
    gettext_noop("Upload progress"),
    # Reference photos of students (pwa/js/refui.js).
    gettext_noop("Added"),
    gettext_noop("%(size)s KB"),
    gettext_noop(
        "Photograph one student at a time, face to the camera, in good light, close enough that the face fills a third of the photo. The server accepts them only for students whose guardian's consent is recorded. Each photo is kept on this phone and sent when there is a connection."
    ),
    gettext_noop("Reference photo: %(name)s"),
    gettext_noop("Reference photos"),
    gettext_noop("Reference photos: %(what)s"),
    gettext_noop(
        "Saved on this phone: a reference photo of %(name)s. It is sent by itself when there is a connection."
    ),
    gettext_noop("Take a reference photo"),
    gettext_noop("The photo is empty: take it again."),
    gettext_noop("The photo is too large even when made smaller."),
    gettext_noop("The server did not accept this photo:"),
    gettext_noop("This file is not a photo this phone can read."),
    gettext_noop("This phone cannot make the photo smaller: use the web page to upload it."),
    # The journal and the diary offline (pwa/js/journalui.js, diaryui.js).
    gettext_noop("As of %(time)s (the last sync)"),
    gettext_noop("The server did not accept this entry:"),
    gettext_noop("Topic: %(topic)s"),
    gettext_noop("Grade %(value)s: %(name)s"),
    gettext_noop("Journal"),
    gettext_noop("Period %(period)s"),
    gettext_noop("No topic yet"),
    gettext_noop("Open the lesson"),
    gettext_noop("The journal is not on this phone yet: sync once while online."),
    gettext_noop("You have no lessons today."),
    gettext_noop("Topic"),
    gettext_noop("Save the topic"),
    gettext_noop("Write the topic."),
    gettext_noop(
        "Saved on this phone: the topic. It is sent by itself when there is a connection."
    ),
    gettext_noop("This school has no grading scheme yet: grades cannot be given."),
    gettext_noop("Give a grade"),
    gettext_noop("Student"),
    gettext_noop("Kind of work"),
    gettext_noop("Grade"),
    gettext_noop("Comment (optional)"),
    gettext_noop("Save the grade"),
    gettext_noop("Choose the grade."),
    gettext_noop(
        "Saved on this phone: grade %(value)s for %(name)s. It is sent by itself when there is a connection."
    ),
    gettext_noop("Back to the journal"),
    gettext_noop("Homework: %(text)s (due %(due)s)"),
    gettext_noop("Cancelled"),
    gettext_noop("Absent, excused"),
    gettext_noop("No lessons"),
    gettext_noop("Grades"),
    gettext_noop("No grades this week"),
    gettext_noop("Remarks"),
    gettext_noop("Diary"),
    gettext_noop("The diary is not on this phone yet: sync once while online."),
    gettext_noop("Week of %(day)s"),
    gettext_noop("A new version of the app is ready."),
    gettext_noop("Absent"),
    gettext_noop("Afternoon"),
    gettext_noop("Already marked: version %(version)s, by %(by)s at %(at)s."),
    gettext_noop("Attendance"),
    gettext_noop("Attendance: %(what)s"),
    gettext_noop("Back to the queue"),
    gettext_noop("Back to today"),
    gettext_noop("Change"),
    gettext_noop("Class %(label)s"),
    gettext_noop("Correct the marks and save: it is sent again as a new roll call."),
    gettext_noop("Correction"),
    gettext_noop("Current"),
    gettext_noop("Discard"),
    gettext_noop("Downloading your school's data…"),
    gettext_noop("Duty"),
    gettext_noop("Edit and send again"),
    gettext_noop("Early"),
    gettext_noop("Enter a whole number from 0 to 5000."),
    gettext_noop(
        "Everything is saved on this phone first. It is removed from here only after the server has answered for it."
    ),
    gettext_noop("Forenoon"),
    gettext_noop("From this phone"),
    gettext_noop("Hazri"),
    gettext_noop("History"),
    gettext_noop("Holiday"),
    gettext_noop("Holiday: %(name)s"),
    gettext_noop("Install the app"),
    gettext_noop(
        "It is before %(opens)s: the roll call is not open yet. Marks saved now are kept, but shown as taken early."
    ),
    gettext_noop("Language"),
    gettext_noop("Last synced %(time)s"),
    gettext_noop("Late"),
    gettext_noop("Late entry"),
    gettext_noop("Leave"),
    gettext_noop("Log in"),
    gettext_noop("Log in again"),
    gettext_noop("Logged in as %(name)s"),
    gettext_noop("Log in once while online. After that the app works without internet."),
    gettext_noop("Log out"),
    gettext_noop("Main menu"),
    gettext_noop("Mark"),
    gettext_noop("Mark again"),
    gettext_noop("Mark for %(name)s"),
    gettext_noop("Marked by %(user)s"),
    gettext_noop("Meals served today"),
    gettext_noop("Meals served: %(count)s"),
    gettext_noop("Mid-day meals"),
    gettext_noop("National day: the school meets"),
    gettext_noop("No attendance is taken on this day."),
    gettext_noop("No internet"),
    gettext_noop("No internet: saved on this phone, it will sync later."),
    gettext_noop("No meals are recorded on this day."),
    gettext_noop("No roll calls in the last days."),
    gettext_noop("Not accepted"),
    gettext_noop("Not accepted by the server"),
    gettext_noop("Not accepted: %(count)s"),
    gettext_noop("Not found"),
    gettext_noop("Not marked"),
    gettext_noop("Not recorded"),
    gettext_noop("Not synced yet"),
    gettext_noop("Note"),
    gettext_noop("Nothing here."),
    gettext_noop("On roll: %(count)s"),
    gettext_noop("On the list: %(count)s"),
    gettext_noop("On time"),
    gettext_noop("Online"),
    gettext_noop("Password"),
    gettext_noop("Present"),
    gettext_noop("Queue"),
    gettext_noop("Reason if late (optional)"),
    gettext_noop("Record meals"),
    gettext_noop("Reload"),
    gettext_noop("Replaced"),
    gettext_noop(
        "Replaced by %(by)s at %(time)s: their roll call, taken later, counts instead of this one."
    ),
    gettext_noop("Replaced by %(user)s"),
    gettext_noop("Replaced by a corrected copy."),
    gettext_noop("Replaced by version %(version)s, taken later by %(by)s at %(at)s."),
    gettext_noop(
        "Roll calls of the last days as the server had them at the last sync, every version."
    ),
    gettext_noop("Roll calls waiting to be sent: %(count)s. Sync them before logging out."),
    gettext_noop("Roll no., name and S.R. No., in the order of the register"),
    gettext_noop("S.R. No. %(number)s"),
    gettext_noop("Save attendance"),
    gettext_noop("Save meals"),
    gettext_noop(
        "Saved on this phone: %(count)s mid-day meals. It is sent by itself when there is a connection."
    ),
    gettext_noop(
        "Saved on this phone: %(present)s present, %(absent)s absent, %(leave)s on leave. It is sent by itself when there is a connection."
    ),
    gettext_noop("School day"),
    gettext_noop("Server unreachable"),
    gettext_noop("Staff attendance"),
    gettext_noop("Staff posted to this school"),
    gettext_noop("Sync"),
    gettext_noop("Sync now"),
    gettext_noop("Sync queue"),
    gettext_noop("Synced"),
    gettext_noop("Synced at %(time)s"),
    gettext_noop("Synced at %(time)s · version %(version)s · %(timing)s"),
    gettext_noop("Syncing…"),
    gettext_noop("Taken at %(time)s on this phone"),
    gettext_noop("Tap again to discard it for good"),
    gettext_noop("The download did not finish. It is tried again by itself."),
    gettext_noop("The phone's clock was off by %(minutes)s minutes."),
    gettext_noop("The server cannot be reached. Try again in a while."),
    gettext_noop("The server cannot be reached: saved on this phone, it will sync later."),
    gettext_noop("The server could not store %(count)s items this time; trying again soon."),
    gettext_noop(
        "The server could not store it (not a fault of the roll call); it is sent again by itself."
    ),
    gettext_noop("The server did not accept this number:"),
    gettext_noop("The server did not accept this roll call:"),
    gettext_noop("The server is not available; trying again soon."),
    gettext_noop("The server refused the upload; trying again soon."),
    gettext_noop(
        "The roll call opens at %(opens)s and is on time until %(late)s; after that it is saved as late. Marking closes at %(cutoff)s."
    ),
    gettext_noop("There is nobody on the list for this day."),
    gettext_noop("This browser could not open the app's storage."),
    gettext_noop("This day's calendar is not on this phone; the server will check it."),
    gettext_noop(
        "This phone has roll calls of %(name)s that are not sent yet (%(count)s). Log in as %(user)s first to send them."
    ),
    gettext_noop(
        "This roll call is waiting to sync. Saving changes its marks: it is still sent as one roll call."
    ),
    gettext_noop("This will be saved as a new version; the earlier one stays in history."),
    gettext_noop("Today"),
    gettext_noop("Total"),
    gettext_noop("Username"),
    gettext_noop("Version %(number)s"),
    gettext_noop("Waiting for approval."),
    gettext_noop("Waiting to sync"),
    gettext_noop("Waiting: %(count)s"),
    gettext_noop("Weekly off: no attendance on this day"),
    gettext_noop("Wrong username or password."),
    gettext_noop("You are not posted to any school, so there is nothing to mark here."),
    gettext_noop("You are offline. Connect to the internet to log in."),
    gettext_noop("Your attendance saved on this phone stays here and is sent after you log in."),
    gettext_noop(
        "Your login has expired. Log in again to send what is waiting; nothing saved on this phone is lost."
    ),
    gettext_noop("Your school's data is on this phone: you can mark attendance without internet."),
]


# The app's strings that hold a count (pwa/js: I.n("…", "…", count)). Lazy with the
# count's name: .format() (the app's strings have no braces) gives each form's text,
# placeholders kept, in the active language.
UI_PLURALS = [
    ngettext_lazy("%(count)s photo", "%(count)s photos", "count"),
    ngettext_lazy("%(count)s photo chosen", "%(count)s photos chosen", "count"),
    ngettext_lazy(
        "Processing: %(done)s of %(count)s photo",
        "Processing: %(done)s of %(count)s photos",
        "count",
    ),
    ngettext_lazy(
        "Saved on this phone: %(count)s photo. It is sent by itself when there is a connection.",
        "Saved on this phone: %(count)s photos. They are sent by themselves when there is a connection.",
        "count",
    ),
    ngettext_lazy("%(count)s photo waiting to sync", "%(count)s photos waiting to sync", "count"),
    ngettext_lazy("%(count)s photo added", "%(count)s photos added", "count"),
    ngettext_lazy(
        "A student has at most %(count)s reference photo.",
        "A student has at most %(count)s reference photos.",
        "count",
    ),
    ngettext_lazy("%(count)s grade waiting to sync", "%(count)s grades waiting to sync", "count"),
]


def plural_forms() -> dict[str, dict[str, dict[str, str]]]:
    """Per language, each plural string (by its English singular) in the form of each
    of the language's CLDR categories (PLURAL_SAMPLES), from the catalogue's ngettext;
    the app picks one with Intl.PluralRules. Without a translation a language gets the
    English forms, the singular for "one" and the plural for the rest."""
    with translation.override(None):
        keys = [entry.format(count=1) for entry in UI_PLURALS]
    out: dict[str, dict[str, dict[str, str]]] = {}
    for language in LANGUAGES:
        samples = PLURAL_SAMPLES[language]
        with translation.override(language):
            out[language] = {
                key: {category: entry.format(count=n) for category, n in samples.items()}
                for key, entry in zip(keys, UI_PLURALS, strict=True)
            }
    return out
