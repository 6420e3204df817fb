from django.urls import path

from hazri.faces import views

urlpatterns = [
    path("sections/<int:section_id>/photos/", views.section_photos, name="faces_section_photos"),
    path("sections/<int:section_id>/faces/", views.section_faces, name="faces_section"),
    path("students/<int:student_id>/faces/", views.student_faces, name="faces_student"),
    path("photo-sets/<int:set_id>/", views.photo_set_page, name="faces_review"),
    path("faces/seen/<int:face_id>.jpg", views.seen_crop, name="faces_seen_crop"),
    path(
        "faces/references/<int:reference_id>.jpg", views.reference_crop, name="faces_reference_crop"
    ),
]
