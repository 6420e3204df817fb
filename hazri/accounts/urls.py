from django.urls import path

from hazri.accounts import views

# Logging out is the signon app's (hazri/signon/urls.py): it ends the state's
# sign-on session too.
urlpatterns = [
    path("accounts/login/", views.HazriLoginView.as_view(), name="login"),
    path("accounts/language/", views.choose_language, name="language"),
    path("accounts/signins/", views.my_signins, name="signins"),
]
