from django.urls import path

from . import views_board

app_name = "monitoring"

urlpatterns = [
    # the live board, trends and early-warning statistics (board16)
    path("board/", views_board.board_page, name="board"),
    path("board/fragment/", views_board.board_fragment, name="board_fragment"),
    path("points/<int:pk>/trend/", views_board.trend_page, name="trend"),
    path("points/<int:pk>/trend/data/", views_board.trend_data, name="trend_data"),
    path("stats/", views_board.stats_page, name="stats"),
]
