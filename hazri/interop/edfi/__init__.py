"""Ed-Fi attendance: a school's roll calls as StudentSchoolAttendanceEvent and
StudentSectionAttendanceEvent resources (Ed-Fi Data Standard 4/5), see docs/edfi.md."""
