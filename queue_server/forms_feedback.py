"""Forms of citizens' feedback and of the office's inbox (Flask-WTF: CSRF, lengths)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class FeedbackForm(FlaskForm):
    text = TextAreaField(_l("Your comment or complaint"),
                         validators=[DataRequired(), Length(max=2000)])
    contact = StringField(_l("How we may answer you (phone or e-mail, optional)"),
                          validators=[Optional(), Length(max=200)])


class InboxActionForm(FlaskForm):
    """One button of an inbox item: handling, close, spam, not spam, or answer."""

    action = HiddenField(validators=[DataRequired()])
    text = TextAreaField(_l("Answer"), validators=[Optional(), Length(max=2000)])
