"""Demo content for `manage.py load_demo`: stories, people and pictures made for
this project. Every name, organisation and event in it is fictional, and links
point at reserved example domains, never at real accounts."""
