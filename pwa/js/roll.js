/* Hazri offline app: the roll of a day, built on the device from dated enrolments,
   in the legal order of hazri/attendance/rules.py (roll_order_key), and the calendar. */
(function (global) {
  "use strict";

  var ORIGIN_RANK = { repeater: 0, promoted: 1, "new": 2 };
  var STAFF_RANK = { head: 0, teacher: 1, other: 2 };
  var CODES = ["P", "A", "L", "D"];

  /* Python's tuple comparison: element by element, the shorter tuple first on a tie. */
  function compareTuples(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i += 1) {
      if (a[i] < b[i]) return -1;
      if (a[i] > b[i]) return 1;
    }
    return a.length - b.length;
  }

  function fold(name) {
    return String(name || "").toLowerCase();
  }

  /* roll_order_key: roll numbers first in number order; the rest repeaters, then
     promoted students (each alphabetical), then new admissions by admission date.
     Dates are ISO strings, which sort as dates; "" stands for date.min. */
  function rollOrderKey(entry) {
    if (entry.roll_no !== null && entry.roll_no !== undefined) {
      return [0, entry.roll_no, "", "", entry.member];
    }
    var rank = ORIGIN_RANK[entry.origin];
    if (entry.origin === "new") {
      return [1, rank, "", entry.admitted_on, fold(entry.name), entry.member];
    }
    return [1, rank, fold(entry.name), "", entry.member];
  }

  function covers(row, day) {
    return row.starts_on <= day && (row.ends_on === null || row.ends_on === undefined || day <= row.ends_on);
  }

  /* The students on a section's roll on `day` (ISO date), in roll order. */
  function rollOfDay(sectionId, day, data) {
    var byStudent = {};
    data.enrolments.forEach(function (e) {
      if (e.section === sectionId && covers(e, day)) byStudent[e.student] = e;
    });
    var entries = [];
    Object.keys(byStudent).forEach(function (key) {
      var e = byStudent[key];
      var student = data.studentsById[e.student];
      if (!student) return;
      entries.push({
        member: e.student,
        name: student.name,
        origin: e.origin,
        admitted_on: e.admitted_on,
        roll_no: e.roll_no,
        student: student,
        enrolment: e,
      });
    });
    entries.sort(function (a, b) { return compareTuples(rollOrderKey(a), rollOrderKey(b)); });
    return entries.map(function (entry) {
      return {
        id: entry.member,
        name: entry.student.name,
        name_local: entry.student.name_local,
        roll_no: entry.roll_no,
        admission_no: entry.enrolment.admission_no,
        gender: entry.student.gender,
      };
    });
  }

  /* Staff posted to the school on `day`: the head, then teachers, then others, by name. */
  function staffOfDay(schoolId, day, staff) {
    var byId = {};
    staff.forEach(function (p) {
      if (p.school === schoolId && covers(p, day)) byId[p.id] = p;
    });
    var members = Object.keys(byId).map(function (key) { return byId[key]; });
    members.sort(function (a, b) {
      var ra = STAFF_RANK[a.role] === undefined ? 9 : STAFF_RANK[a.role];
      var rb = STAFF_RANK[b.role] === undefined ? 9 : STAFF_RANK[b.role];
      return compareTuples([ra, fold(a.name), a.id], [rb, fold(b.name), b.id]);
    });
    return members;
  }

  /* The calendar's word on a day: {kind, name, name_local}; kind "unknown" beyond
     what the server sent (the server still judges). */
  function dayStatus(schoolId, day, days) {
    for (var i = 0; i < days.length; i += 1) {
      if (days[i].school === schoolId && days[i].day === day) return days[i];
    }
    return { school: schoolId, day: day, kind: "unknown", name: "", name_local: "" };
  }

  function isSchoolDay(status) {
    return status.kind === "school_day" || status.kind === "national" || status.kind === "unknown";
  }

  /* The date (YYYY-MM-DD) it is now in a time zone. */
  function dateIn(timeZone, when) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: timeZone, year: "numeric", month: "2-digit", day: "2-digit",
    }).formatToParts(when).forEach(function (part) { parts[part.type] = part.value; });
    return parts.year + "-" + parts.month + "-" + parts.day;
  }

  /* The time of day (HH:MM, 24 h) it is now in a time zone. */
  function timeIn(timeZone, when) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(when).forEach(function (part) { parts[part.type] = part.value; });
    return parts.hour + ":" + parts.minute;
  }

  function minutesOf(text) {
    var found = /^(\d\d):(\d\d)/.exec(text || "");
    return found ? Number(found[1]) * 60 + Number(found[2]) : null;
  }

  function hhmm(minutes) { return pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60); }

  /* A meeting's time window at a school, as the pull gives its policy (HH:MM each):
     the same rule as the server's (attendance/rules.py meeting_start, window_opens):
     the afternoon starts four hours after the school when it has no afternoon start;
     the roll call opens opens_before_minutes before the start (never before 00:00) and
     is on time until on_time_minutes after it. Null when an older server did not say
     when it opens. */
  function meetingWindow(school, meeting) {
    var begin = minutesOf(school.start_time);
    if (begin === null || school.opens_before_minutes === undefined) return null;
    if (meeting === 2) {
      var afternoon = minutesOf(school.afternoon_start);
      begin = afternoon !== null ? afternoon : Math.min(begin + 4 * 60, 23 * 60 + 59);
    }
    return {
      start: hhmm(begin),
      opens: hhmm(Math.max(0, begin - school.opens_before_minutes)),
      lateAfter: hhmm((begin + school.on_time_minutes) % (24 * 60)),
      cutoff: school.cutoff,
    };
  }

  function addDays(day, n) {
    var d = new Date(day + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* The device's clock as ISO 8601 with its own UTC offset, e.g. 2026-11-22T10:41:09+05:30. */
  function isoWithOffset(date) {
    date = date || new Date();
    var offset = -date.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    var abs = Math.abs(offset);
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()) +
      sign + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60);
  }

  function count(codes) {
    var counts = { P: 0, A: 0, L: 0, D: 0 };
    codes.forEach(function (code) { if (counts[code] !== undefined) counts[code] += 1; });
    return counts;
  }

  function newUuid() {
    if (global.crypto && global.crypto.randomUUID) return global.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    global.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  global.HazriRoll = {
    CODES: CODES,
    compareTuples: compareTuples,
    rollOrderKey: rollOrderKey,
    rollOfDay: rollOfDay,
    staffOfDay: staffOfDay,
    dayStatus: dayStatus,
    isSchoolDay: isSchoolDay,
    dateIn: dateIn,
    timeIn: timeIn,
    meetingWindow: meetingWindow,
    addDays: addDays,
    isoWithOffset: isoWithOffset,
    count: count,
    newUuid: newUuid,
  };
})(self);
