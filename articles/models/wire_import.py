from articles.models.article import Article


class WireImport(Article):
    """The admin's "Import wire copy" page: a proxy so it is listed on the admin index.

    It adds no table and no behaviour; importing is ``articles.wire.importer.ImportWireStory``.
    """

    class Meta:
        proxy = True
        verbose_name = "wire copy import"
        verbose_name_plural = "Import wire copy"
        default_permissions = ()  # access follows articles.add_article, not proxy permissions
