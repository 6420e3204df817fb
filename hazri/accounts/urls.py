from django.contrib.auth.views import LogoutView
from django.urls import path

from hazri.accounts import views

urlpatterns = [
    path("accounts/login/", views.HazriLoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("accounts/language/", views.choose_language, name="language"),
    path("accounts/signins/", views.my_signins, name="signins"),
]
