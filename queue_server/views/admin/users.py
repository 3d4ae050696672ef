"""Admin: users, roles, passwords."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ...auth import access, current
from ...engine import admin as engine
from ...errors import InvalidInput
from ...forms import ActionForm, PasswordForm, UserForm, choices
from ...models import Office, User
from ..screens import valid_or_400
from . import REMOVED, bp, region_fields, render_form, save_or_flash


def _user(user_id):
    return User.find(user_id)


def _form(user=None):
    form = UserForm(obj=user)
    form.office_id.choices = choices([(0, _("All offices (admin)"))] + [
        (o.id, o.name) for o in Office.select().order_by(Office.id)])
    if user is not None and not form.is_submitted():
        form.office_id.data = user.office_id or 0
    return region_fields.user_form(form, user)


def _save(user, form):
    def run():
        if user is not None and user.id == current().id and not form.active.data:
            raise InvalidInput("You cannot deactivate yourself.", code="self_deactivate")
        office = Office.get_or_none(Office.id == form.office_id.data)
        return engine.save_user(user, username=form.username.data, role=form.role.data,
                                office=office, full_name=form.full_name.data,
                                active=form.active.data,
                                password=form.password.data if "password" in form else None,
                                region=region_fields.chosen_region(form))
    return run


@bp.get("/users")
@access("admin")
def users():
    """All users."""
    return render_template("admin/users.html", users=User.select().order_by(User.username),
                           form=ActionForm())


@bp.route("/users/new", methods=["GET", "POST"])
@access("admin")
def user_new():
    """Create a user (with a first password)."""
    form = _form()
    if save_or_flash(form, _save(None, form)):
        return redirect(url_for(".users"))
    return render_form(form, _("New user"))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@access("admin")
def user_edit(user_id):
    """Edit a user's role, office and active flag."""
    user = _user(user_id)
    form = _form(user)
    del form.password  # passwords change through the reset form below
    if save_or_flash(form, _save(user, form)):
        return redirect(url_for(".users"))
    return render_form(form, _("User %(name)s", name=user.username), user=user,
                       password_form=PasswordForm(),
                       remove_url=url_for(".user_remove", user_id=user.id),
                       action_form=ActionForm())


@bp.post("/users/<int:user_id>/password")
@access("admin")
def user_password(user_id):
    """Set a new password."""
    user = _user(user_id)
    form = PasswordForm()
    if save_or_flash(form, lambda: engine.reset_password(user, form.password.data)):
        return redirect(url_for(".users"))
    return redirect(url_for(".user_edit", user_id=user.id))


@bp.post("/users/<int:user_id>/remove")
@access("admin")
def user_remove(user_id):
    """Delete, or deactivate when tickets refer to the user."""
    valid_or_400(ActionForm())
    user = _user(user_id)
    if user.id == current().id:
        flash(_("You cannot remove yourself."), "error")
        return redirect(url_for(".user_edit", user_id=user.id))
    flash(str(REMOVED[engine.remove_user(user)]), "info")
    return redirect(url_for(".users"))
