"""What the HTML forms send, read into the service's arguments or field errors."""
