// Field pages: confirmation dialogs, offline queue of submissions (issue #12).
