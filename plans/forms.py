from django import forms


class WorkflowCommentForm(forms.Form):
    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown on the plan with your name and the date.",
    )

    def __init__(self, *args, comment_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = comment_required
        self.fields["comment"].error_messages["required"] = "Enter a comment that tells the editors what to change."


class NewVersionForm(forms.Form):
    version_label = forms.CharField(max_length=100, help_text="For example Draft v 1 (2014-15 refresh).")
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
