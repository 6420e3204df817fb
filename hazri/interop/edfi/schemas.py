"""The Ed-Fi export's shapes, named as Ed-Fi names its resources' members."""

from ninja import Schema

from hazri.common.api import Day, QueryId


class EdFiQuery(Schema):
    school: QueryId
    start: Day  # the first day, and
    end: Day  # the last day of the range, inclusive


class EdFiDescriptorOut(Schema):
    namespace: str
    codeValue: str
    shortDescription: str
    description: str


class EdFiIdentificationCodeOut(Schema):
    educationOrganizationIdentificationSystemDescriptor: str
    identificationCode: str


class EdFiSchoolOut(Schema):
    schoolId: int
    nameOfInstitution: str
    educationOrganizationIdentificationCodes: list[EdFiIdentificationCodeOut]


class EdFiSchoolRefOut(Schema):
    schoolId: int


class EdFiSessionRefOut(Schema):
    schoolId: int
    schoolYear: int
    sessionName: str


class EdFiSectionRefOut(Schema):
    localCourseCode: str
    schoolId: int
    schoolYear: int
    sectionIdentifier: str
    sessionName: str


class EdFiStudentRefOut(Schema):
    studentUniqueId: str


class EdFiSchoolEventOut(Schema):
    attendanceEventCategoryDescriptor: str
    eventDate: str
    eventDuration: float
    schoolReference: EdFiSchoolRefOut
    sessionReference: EdFiSessionRefOut
    studentReference: EdFiStudentRefOut


class EdFiSectionEventOut(Schema):
    attendanceEventCategoryDescriptor: str
    eventDate: str
    sectionReference: EdFiSectionRefOut
    studentReference: EdFiStudentRefOut


class EdFiAttendanceOut(Schema):
    attendanceEventCategoryDescriptors: list[EdFiDescriptorOut]
    schools: list[EdFiSchoolOut]
    studentSchoolAttendanceEvents: list[EdFiSchoolEventOut]
    studentSectionAttendanceEvents: list[EdFiSectionEventOut]
