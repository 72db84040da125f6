from ..models import Section


class SectionNavMixin:
    """Puts the sections in the context for the masthead's navigation (one query per page)."""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nav_sections", Section.objects.all())
        return super().get_context_data(**kwargs)
