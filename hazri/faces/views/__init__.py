from hazri.faces.views.enrol import section_faces, student_faces
from hazri.faces.views.images import reference_crop, seen_crop
from hazri.faces.views.photos import photo_set_page, section_photos

__all__ = [
    "photo_set_page",
    "reference_crop",
    "section_faces",
    "section_photos",
    "seen_crop",
    "student_faces",
]
