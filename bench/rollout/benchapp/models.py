from django.db import models


class BenchRecord(models.Model):
    nama = models.CharField(max_length=100)
    dibuat = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.nama
