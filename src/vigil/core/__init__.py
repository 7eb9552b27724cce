"""Small building blocks every domain uses: ids, time, countries, pagination."""
