from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("letters/", views.letter_list, name="list"),
    path("letters/new/", views.letter_new, name="new"),
    path("letters/<int:pk>/", views.letter_detail, name="detail"),
    path("letters/<int:pk>/transitions/", views.letter_transition, name="transition"),
    path("letters/<int:pk>/print/", views.letter_print, name="print"),
    path("letters/<int:pk>/letter.docx", views.letter_docx, name="docx"),
    path("letters/<int:pk>/files/<int:file>/", views.letter_file, name="file"),
]
