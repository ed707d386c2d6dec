from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("form/<int:article_id>/", views.CommentFormView.as_view(), name="form"),
    path("post/<int:article_id>/", views.PostCommentView.as_view(), name="post"),
]
