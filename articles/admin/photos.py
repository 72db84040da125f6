"""The photo library: upload (drag-and-drop or file input), credit and rights, focal point."""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.html import format_html

from articles.models import Photo, Rendition
from articles.photos.tasks import make_renditions
from newsroom.media.admin import RefusesUploadsStorageCannotTake
from newsroom.queue import enqueue_on_commit


@admin.register(Photo)
class PhotoAdmin(RefusesUploadsStorageCannotTake, admin.ModelAdmin):
    change_form_template = "admin/articles/photo/change_form.html"
    list_display = [
        "thumbnail",
        "__str__",
        "credit",
        "photographer",
        "is_file_photo",
        "has_file",
        "created_at",
    ]
    list_display_links = ["thumbnail", "__str__"]
    list_select_related = ["photographer"]
    list_filter = [
        ("credit", admin.AllValuesFieldListFilter),
        ("photographer", admin.RelatedOnlyFieldListFilter),
        "is_file_photo",
        "created_at",
    ]
    search_fields = ["caption", "credit", "alt_text", "rights", "photographer__name"]
    autocomplete_fields = ["photographer"]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["image", "caption", "alt_text"]}),
        (
            "Credit and rights",
            {"fields": ["credit", "is_file_photo", "photographer", "license_url", "rights"]},
        ),
        (
            "Crops",
            {
                "fields": [("focal_x", "focal_y")],
                "description": "Click the picture to set the point crops keep in view.",
            },
        ),
    ]

    def get_queryset(self, request):
        thumbs = Rendition.objects.filter(spec="thumb", format="jpeg")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("renditions", queryset=thumbs, to_attr="thumbs"))
        )

    @admin.display(description="")
    def thumbnail(self, photo):
        thumbs = getattr(photo, "thumbs", None)
        if not thumbs:
            return "\u2014"
        return format_html(
            '<img src="{}" width="96" height="54" alt="" loading="lazy">', thumbs[0].private_url
        )

    @admin.display(boolean=True, description="File")
    def has_file(self, photo):
        return bool(photo.image)

    def save_model(self, request, obj, form, change):
        new_file = "image" in form.changed_data and obj.image and not obj.image._committed
        try:
            super().save_model(request, obj, form, change)
            if {"image", "focal_x", "focal_y"} & set(form.changed_data):
                # Made by the task worker, never in the editor's request.
                enqueue_on_commit(make_renditions, obj.pk, True)
        except BaseException:
            if new_file and obj.image._committed:  # no stored upload without its row
                obj.image.storage.delete(obj.image.name)
            raise
