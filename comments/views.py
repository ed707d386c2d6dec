"""Posting a response: a plain HTML form POST, then a redirect (works without JavaScript).

POST /comments/post/<article id>/ answers:
- 303 to the story (`?cpage=N#comment-<id>`) with "Thank you — your comment is
  awaiting moderation." once saved (pending or spam alike: bots learn nothing);
- 422 with the story page re-rendered, the reader's input kept and the errors
  shown beside each field and in a summary at the top of the form, when the
  form does not validate or the response is a duplicate;
- 429, the same page, over the flood limit;
- 403, the same page with "Comments are closed.", when the story takes no
  more responses; 404 for a story that is not public; 413 for an oversized
  post (comments/middleware.py).
None of these is ever cached (`Cache-Control: private, no-store`).
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views import View

from articles.models import Article
from articles.views import ArticleDetailView

from . import cookies
from .client import client_ip, user_agent
from .forms import CommentForm
from .models import Comment
from .moderation import CommentRefused, moderator, submit_comment

THANK_YOU = "Thank you — your comment is awaiting moderation."
PUBLISHED = "Thank you — your comment is published."
CLOSED = "Comments are closed on this story: your response was not posted."


class PostCommentView(View):
    http_method_names = ["post"]

    def post(self, request, article_id):
        article = get_object_or_404(Article.objects.published(), pk=article_id)
        form = CommentForm(request.POST, article=article)
        if not moderator.comments_open(article):
            messages.error(request, CLOSED)
            return self.article_page(request, article, form, status=403)
        if not form.is_valid():
            return self.article_page(request, article, form, status=422)

        comment = form.save(commit=False)
        comment.ip_address = client_ip(request)
        comment.user_agent = user_agent(request)
        try:
            submit_comment(comment, spam_reasons=form.spam_reasons)
        except CommentRefused as refusal:
            form.add_error("body", refusal.message)
            return self.article_page(request, article, form, status=refusal.status)
        return self.thank(request, form, comment)

    def thank(self, request, form, comment):
        messages.success(
            request, PUBLISHED if comment.status == Comment.Status.APPROVED else THANK_YOU
        )
        url = comment.article.get_absolute_url()
        if comment.status != Comment.Status.SPAM:
            url += comment.page_query()
        response = HttpResponseRedirect(f"{url}#comment-{comment.pk}", status=303)
        if comment.status == Comment.Status.PENDING:
            cookies.add_pending_id(request, response, comment.pk)
        if form.cleaned_data.get("remember"):
            cookies.remember_details(response, form.cleaned_data)
        else:
            cookies.forget_details(response)
        add_never_cache_headers(response)
        return response

    @staticmethod
    def article_page(request, article, form, *, status):
        """The story's own page (its view and template), with the reader's form."""
        view = ArticleDetailView()
        view.setup(request)
        view.object = get_object_or_404(
            Article.objects.published().for_article_page(), pk=article.pk
        )
        context = view.get_context_data(
            object=view.object, canonical_url=view.object.absolute_url(), comment_form=form
        )
        response = view.render_to_response(context, status=status)
        add_never_cache_headers(response)
        return response
