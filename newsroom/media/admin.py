"""Admin pages that take uploads: storage refusing a file is a message, never a server error."""

from django.contrib import messages
from django.http import HttpResponseRedirect

from newsroom.media.writable import MediaUnwritable


class RefusesUploadsStorageCannotTake:
    """Upload validation already names a storage problem beside the file field; this catches a
    write that failed after it (the save's transaction has rolled back: nothing was saved)."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except MediaUnwritable as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
