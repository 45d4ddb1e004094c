# desk (en): strings for the desk part of the desk.
