"""The "Leave a Response" form.

Two parts, as in django-contrib-comments:

- `CommentSecurityForm`: what bots trip over and humans never see. A signed
  token carrying the story and the moment the form was shown (too fast, too
  old: a bot) and a honeypot field (filled in: a bot). Bots are not told: what
  this part catches is kept as spam and gets the same thank-you. A token that
  does not verify (tampered, missing, for another story) is a plain error.
  Each token is one form's (a random nonce) and carries one saved post:
  `submit_comment` records it as used (comments.models.UsedFormToken), and a
  replay gets the form back with a new token (`renew_token`).
- `CommentForm`: the reader's response, name, email and website, the
  "remember me" box, and the response being replied to.
"""

import secrets
import time

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.conf import settings
from django.core import signing

from .models import Comment

SECURITY_SALT = "comments.form"
REMEMBER_LABEL = "Save my name, email, and website in this browser for the next time I comment."


def make_security_token(article, *, shown_at=None):
    """A signed "this form, for this story, was shown at this second". The
    nonce makes it this form's own: two readers shown the form in the same
    second get two tokens, each good for one post."""
    shown_at = int(time.time()) if shown_at is None else int(shown_at)
    return signing.dumps(
        {"article": article.pk, "shown_at": shown_at, "nonce": secrets.token_urlsafe(9)},
        salt=SECURITY_SALT,
    )


def _required(label):
    # crispy-forms glues its asterisk straight after the label: the trailing
    # space makes the label, and the field's accessible name, read "Comment *".
    return f"{label} "


class CommentSecurityForm(forms.Form):
    security_token = forms.CharField(widget=forms.HiddenInput)
    # Hidden from people and assistive technology (see the layout below);
    # a bot filling in every field fills this one too.
    honeypot = forms.CharField(
        label="Leave this field empty", required=False, strip=False, max_length=200
    )

    error_messages = {
        "bad_token": "This form could not be verified. Please post your response again.",
    }

    def __init__(self, *args, article, **kwargs):
        self.article = article
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("security_token", make_security_token(article))
        # Filled in by clean_security_token / clean_honeypot: what marks this post as spam.
        self.spam_reasons = []

    def clean_security_token(self):
        token = self.cleaned_data["security_token"]
        try:
            payload = signing.loads(token, salt=SECURITY_SALT)
            shown_at = int(payload["shown_at"])
            article_id = int(payload["article"])
        except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError) as error:
            raise forms.ValidationError(self.error_messages["bad_token"], "bad_token") from error
        if article_id != self.article.pk:
            raise forms.ValidationError(self.error_messages["bad_token"], "bad_token")
        age = time.time() - shown_at
        if age < settings.COMMENTS_FORM_MIN_SECONDS:
            self.spam_reasons.append(
                {"rule": "too_fast", "match": f"posted {max(age, 0):.1f} s after it was shown"}
            )
        elif age > settings.COMMENTS_FORM_MAX_AGE_SECONDS:
            self.spam_reasons.append(
                {"rule": "form_too_old", "match": f"form shown {age / 3600:.1f} h before posting"}
            )
        return token

    def renew_token(self):
        """Show this bound form again with a new token: its own was used by a post."""
        self.data = self.data.copy()
        self.data[self.add_prefix("security_token")] = make_security_token(self.article)

    def clean_honeypot(self):
        value = self.cleaned_data["honeypot"]
        if value:
            self.spam_reasons.append({"rule": "honeypot", "match": value[:100]})
        return value


class CommentForm(CommentSecurityForm, forms.ModelForm):
    remember = forms.BooleanField(label=REMEMBER_LABEL, required=False)

    class Meta:
        model = Comment
        fields = ["body", "author_name", "author_email", "author_url", "parent"]
        labels = {
            "body": _required("Comment"),
            "author_name": _required("Name"),
            "author_email": _required("Email"),
            "author_url": "Website",
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8, "cols": 45}),
            "parent": forms.HiddenInput,
        }

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, article=article, **kwargs)
        self.instance.article = article
        # Only this story's responses can be replied to; Comment.clean says which.
        self.fields["parent"].queryset = Comment.objects.for_article(article)
        self.fields["parent"].error_messages["invalid_choice"] = (
            "You can only reply to a response on this story."
        )
        self.fields["author_email"].widget.attrs["autocomplete"] = "email"
        self.fields["author_name"].widget.attrs["autocomplete"] = "name"
        self.fields["author_url"].widget.attrs["autocomplete"] = "url"
        self.fields["author_email"].help_text = ""
        self.helper = self._build_helper()

    @staticmethod
    def _build_helper():
        helper = FormHelper()
        # The template writes <form>, its CSRF token and the error summary.
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(
            Field("body"),
            Field("author_name"),
            Field("author_email"),
            Field("author_url"),
            Field("remember"),
            Div(
                Field("honeypot", tabindex="-1", autocomplete="off"),
                css_class="visually-hidden",
                aria_hidden="true",
            ),
            Field("security_token"),
            Field("parent"),
            # Dark, like the header's Search button: the site's own controls.
            StrictButton("Post Comment", type="submit", css_class="btn btn-dark"),
        )
        return helper

    def error_summary(self):
        """[(field id or None, message)] in the order of the form, for the summary at its top."""
        summary = []
        for name, field in self.fields.items():
            for message in self.errors.get(name, []):
                if field.widget.is_hidden:
                    # A hidden field cannot take focus: point at the response itself.
                    summary.append((self["body"].auto_id, message))
                else:
                    label = field.label.strip()
                    summary.append((self[name].auto_id, f"{label}: {message}"))
        summary.extend((None, message) for message in self.non_field_errors())
        return summary
