from django.urls import path

from . import views, views_reviews

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("export.xlsx", views.inspection_export, name="export"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/items/<int:item_pk>/", views.item_result, name="item_result"),
    path("<int:pk>/items/free/", views.item_result, name="free_item"),
    path("<int:pk>/all-compliant/", views.all_compliant, name="all_compliant"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/record/", views.record, name="record"),
    path("photos/<int:pk>/", views.photo_file, name="photo"),
    path("signatures/<int:pk>/", views.signature_file, name="signature"),
    path("<int:pk>/measures/", views_reviews.measures, name="measures"),
    path("<int:pk>/seizure/", views_reviews.seize, name="seizure"),
    path("<int:pk>/order/", views_reviews.order, name="order"),
    path("reviews/", views_reviews.review_list, name="reviews"),
    path("reviews/<int:pk>/", views_reviews.review_detail, name="review"),
    path("reviews/<int:pk>/record/", views_reviews.review_record, name="review_record"),
    path("reviews/photos/<int:pk>/", views_reviews.review_photo, name="review_photo"),
]

# checklist templates (checklist_views.py)
from . import checklist_views  # noqa: E402

urlpatterns += [
    path("checklists/", checklist_views.checklist_list, name="checklists"),
    path("checklists/<int:pk>/", checklist_views.checklist_detail, name="checklist"),
    path("checklists/<int:pk>/new-version/", checklist_views.checklist_edit, name="checklist_edit"),
]

# a 查封、扣押's extension and release (views_seizures.py)
from . import views_seizures  # noqa: E402

urlpatterns += [
    path("<int:pk>/seizures/<int:sid>/extend/", views_seizures.extend, name="seizure_extend"),
    path("<int:pk>/seizures/<int:sid>/release/", views_seizures.release, name="seizure_release"),
]
