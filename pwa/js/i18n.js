/* Hazri offline app: strings in English, Hindi, Persian and Russian (rendered by Django
   from its catalogue into the page), their plural forms by CLDR category, and dates,
   times, counts and names in the chosen language. Persian is right to left, with the
   Jalali (Persian) calendar and Persian digits. */
(function (global) {
  "use strict";

  var LANGUAGES = ["en", "hi", "fa", "ru"];
  var RTL = ["fa"];
  // Intl locales: Indian grouping (1,00,000) in English and Hindi; the Persian calendar
  // and Persian digits in Persian; Russian dates and digit groups in Russian.
  var LOCALES = { en: "en-IN", hi: "hi-IN", fa: "fa-IR-u-ca-persian", ru: "ru-RU" };
  var tables = { en: {}, hi: {}, fa: {}, ru: {} };
  var lang = "en";

  function load() {
    var node = global.document.getElementById("hazri-strings");
    if (node) tables = JSON.parse(node.textContent);
  }

  /* One of the app's languages ("fa-IR" is fa); anything else is English. */
  function known(value) {
    var code = String(value || "").toLowerCase().split(/[-_]/)[0];
    return LANGUAGES.indexOf(code) === -1 ? "en" : code;
  }

  function setLang(value) {
    lang = known(value);
    var root = global.document.documentElement;
    root.lang = lang;
    root.dir = RTL.indexOf(lang) === -1 ? "ltr" : "rtl";
  }

  /* t("Present"): the string in the chosen language, %(name)s filled in. */
  function t(key, params) {
    return fill((tables[lang] && tables[lang][key]) || (tables.en && tables.en[key]) || key, params);
  }

  /* Numbers among the params are written the language's way (num). */
  function fill(text, params) {
    if (!params) return text;
    return text.replace(/%\((\w+)\)s/g, function (all, name) {
      var value = params[name];
      if (value === undefined) return all;
      return typeof value === "number" ? num(value) : String(value);
    });
  }

  /* A count as the language writes it: 1,00,000 (en, hi), ۱۲۳ (fa), 100 000 (ru). */
  function num(value) {
    return new Intl.NumberFormat(locale()).format(value);
  }

  /* The CLDR plural category of count in the chosen language: one, few, many, other… */
  function category(count) {
    if (typeof Intl.PluralRules === "function") return new Intl.PluralRules(locale()).select(count);
    return count === 1 ? "one" : "other";
  }

  /* n("%(count)s photo", "%(count)s photos", count): the form for count in the chosen
     language. The page carries each plural string's forms by category, from the
     catalogue's ngettext (hazri/sync/strings.py): Russian has one (1, 21), few (2-4,
     22), many (5-20, 25) and other; Intl.PluralRules picks the category. %(count)s and
     params are filled in, numbers the language's way. */
  function n(singular, plural, count, params) {
    var forms = tables.plurals && tables.plurals[lang] && tables.plurals[lang][singular];
    var which = category(count);
    var text = forms ? forms[which] || forms.other : which === "one" ? singular : plural;
    return fill(text, Object.assign({ count: count }, params || {}));
  }

  function locale() { return LOCALES[lang]; }

  /* A calendar day (YYYY-MM-DD), e.g. "Sun, 22 Nov"; in Persian the Jalali day. */
  function day(iso) {
    return new Intl.DateTimeFormat(locale(), {
      weekday: "short", day: "numeric", month: "short", timeZone: "UTC",
    }).format(new Date(iso + "T00:00:00Z"));
  }

  /* A moment as the clock shows it in a time zone (the school's), e.g. "10:41". */
  function time(iso, timeZone) {
    if (!iso) return "";
    var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (timeZone) options.timeZone = timeZone;
    return new Intl.DateTimeFormat(locale(), options).format(new Date(iso));
  }

  /* A time of day ("08:53", "08:53:00") the language's way: ۰۸:۵۳ in Persian. */
  function clock(hhmm) {
    var parts = String(hhmm || "").split(":");
    if (parts.length < 2) return String(hhmm || "");
    return new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" })
      .format(new Date(Date.UTC(2000, 0, 1, Number(parts[0]), Number(parts[1]))));
  }

  function dateTime(iso, timeZone) {
    if (!iso) return "";
    var options = { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    if (timeZone) options.timeZone = timeZone;
    return new Intl.DateTimeFormat(locale(), options).format(new Date(iso));
  }

  /* A person's or a place's name: the local script in Hindi where there is one. */
  function name(thing) {
    if (!thing) return "";
    return lang === "hi" && thing.name_local ? thing.name_local : thing.name;
  }

  /* "← Back…" points the way the page reads: → in a right-to-left language. */
  function back(text) {
    return (RTL.indexOf(lang) === -1 ? "← " : "→ ") + text;
  }

  global.HazriI18n = {
    LANGUAGES: LANGUAGES,
    load: load,
    setLang: setLang,
    lang: function () { return lang; },
    t: t,
    n: n,
    num: num,
    category: category,
    day: day,
    time: time,
    dateTime: dateTime,
    clock: clock,
    name: name,
    back: back,
  };
})(self);
