"""The "Leave a Response" form (a frame of its own) and posting a response: a
plain HTML form POST, then a redirect (works without JavaScript).

GET /comments/form/<article id>/ (`CommentFormView`): the form alone, in a
frame at the end of the story's page. The story's page is the same for every
reader, so the page cache keeps it; what is one reader's (the CSRF token, the
signed time the form was shown, their remembered name and email) is here, in
a response that is never cached. The form posts to the whole window
(`target="_top"`), so the reader lands on the story again, as below.

POST /comments/post/<article id>/ answers:
- 303 to the story (`?cpage=N#comment-<id>`) with "Thank you — your comment is
  awaiting moderation." once saved (pending or spam alike: bots learn nothing);
- 422 with the story page re-rendered, the reader's input kept and the errors
  shown beside each field and in a summary at the top of the form, when the
  form does not validate or the response is a duplicate; the same when the
  form already carried a post (a replayed token), with a new token in it so
  that the reader can post it again if they meant to;
- 429, the same page, over the flood limit, or for spam past its client's
  allowance (COMMENTS_SPAM_PER_MINUTE; the same words, nothing stored);
- 403, the same page with "Comments are closed.", when the story takes no
  more responses; 404 for a story that is not public; 413 for an oversized
  post (comments/middleware.py);
- 503 with "please try again" and every field the reader filled in, ready to
  post again, when the database is away (core/outage.py). Nothing was
  saved, or, if the connection died just after the commit, the response was
  saved once: posting again then hears "already posted", never a duplicate.
None of these is ever cached (`Cache-Control: private, no-store`).
"""

from csp.decorators import csp_replace
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin

from articles.models import Article
from articles.views import render_story_page
from core import outage
from core.client import client_ip, user_agent

from . import cookies
from .forms import CommentForm
from .models import Comment
from .moderation import CommentRefused, moderator, submit_comment
from .queries import find_reply_target, parse_id

THANK_YOU = "Thank you — your comment is awaiting moderation."
PUBLISHED = "Thank you — your comment is published."
CLOSED = "Comments are closed on this story: your response was not posted."


# The site may not be framed by anyone (X-Frame-Options: DENY, CSP
# frame-ancestors 'none'); this page is meant to be framed, by the site's own
# story pages only.
@method_decorator(xframe_options_sameorigin, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": ["'self'"]}), name="dispatch")
class CommentFormView(View):
    http_method_names = ["get"]

    def get(self, request, article_id):
        article = get_object_or_404(Article.objects.published(), pk=article_id)
        is_open = moderator.comments_open(article)
        form = None
        if is_open:
            initial = cookies.remembered_details(request)
            initial["remember"] = bool(initial)
            reply_to = find_reply_target(article, parse_id(request.GET.get("replyto")))
            if reply_to is not None:
                initial["parent"] = reply_to.pk
            form = CommentForm(article=article, initial=initial)
        response = render(
            request,
            "comments/form_frame.html",
            {"article": article, "comments_open": is_open, "form": form},
        )
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
        return response


class PostCommentView(View):
    http_method_names = ["post"]

    def post(self, request, article_id):
        try:
            return self.post_comment(request, article_id)
        except outage.DATABASE_OUTAGE as error:
            outage.log_outage(request, error)
            return self.try_again(request)

    def post_comment(self, request, article_id):
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
            submit_comment(
                comment,
                spam_reasons=form.spam_reasons,
                form_token=form.cleaned_data["security_token"],
            )
        except CommentRefused as refusal:
            form.add_error("body", refusal.message)
            if refusal.code == "form_used":
                form.renew_token()
            return self.article_page(request, article, form, status=refusal.status)
        return self.thank(request, form, comment)

    @staticmethod
    def try_again(request):
        """The 503 page with the reader's words in a form that posts them again."""
        kept = {name: request.POST.get(name, "") for name in CommentForm.base_fields}
        return outage.unavailable(
            request,
            template_name="comments/try_again.html",
            context={"kept": kept, "action": request.path},
        )

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
        story = get_object_or_404(Article.objects.published().for_article_page(), pk=article.pk)
        response = render_story_page(request, story, status=status, comment_form=form)
        add_never_cache_headers(response)
        return response
