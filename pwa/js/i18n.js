/* Hazri offline app: English and Hindi strings (rendered by Django from its
   catalogue into the page) and dates, times and names in the chosen language. */
(function (global) {
  "use strict";

  var tables = { en: {}, hi: {} };
  var lang = "en";

  function load() {
    var node = global.document.getElementById("hazri-strings");
    if (node) tables = JSON.parse(node.textContent);
  }

  function setLang(value) {
    lang = value === "hi" ? "hi" : "en";
    global.document.documentElement.lang = lang;
  }

  /* t("Present"): the string in the chosen language, %(name)s filled in. */
  function t(key, params) {
    return fill((tables[lang] && tables[lang][key]) || (tables.en && tables.en[key]) || key, params);
  }

  function fill(text, params) {
    if (!params) return text;
    return text.replace(/%\((\w+)\)s/g, function (all, name) {
      return params[name] === undefined ? all : String(params[name]);
    });
  }

  /* n("%(count)s photo", "%(count)s photos", count): the form for count in the chosen
     language (Intl.PluralRules picks "one" or "other"; the page carries each form from
     the catalogue's ngettext), %(count)s and params filled in. */
  function n(singular, plural, count, params) {
    var forms = tables.plurals && tables.plurals[lang] && tables.plurals[lang][singular];
    var one = typeof Intl.PluralRules === "function" ?
      new Intl.PluralRules(locale()).select(count) === "one" : count === 1;
    var text = forms ? forms[one ? "one" : "other"] : one ? singular : plural;
    return fill(text, Object.assign({ count: count }, params || {}));
  }

  function locale() { return lang === "hi" ? "hi-IN" : "en-IN"; }

  /* A calendar day (YYYY-MM-DD), e.g. "Sun, 22 Nov". */
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

  global.HazriI18n = {
    load: load,
    setLang: setLang,
    lang: function () { return lang; },
    t: t,
    n: n,
    day: day,
    time: time,
    dateTime: dateTime,
    name: name,
  };
})(self);
