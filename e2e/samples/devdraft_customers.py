import requests
import os
from typing import Optional, Dict, List

class DevdraftCustomers:
    def __init__(self):
        self.base_url = "https://api.devdraft.com/api/v0/customers"
        self.headers = {
            'x-client-key': os.getenv('DEVDRAFT_CLIENT_KEY'),
            'x-client-secret': os.getenv('DEVDRAFT_CLIENT_SECRET')
        }

    def list_customers(
        self, 
        skip: int = 0, 
        take: int = 10,
        status: Optional[str] = None,
        name: Optional[str] = None,
        email: Optional[str] = None
    ) -> List[Dict]:
        """List customers with optional filtering."""
        
        params = {'skip': skip, 'take': take}
        
        if status:
            params['status'] = status
        if name:
            params['name'] = name
        if email:
            params['email'] = email
            
        response = requests.get(
            self.base_url,
            headers=self.headers,
            params=params
        )
        
        response.raise_for_status()
        return response.json()

    def search_customers(self, query: str) -> List[Dict]:
        """Search customers by name or email."""
        # Try name search first
        name_results = self.list_customers(name=query, take=100)
        
        # Then email search
        email_results = self.list_customers(email=query, take=100)
        
        # Combine and deduplicate
        all_results = name_results + email_results
        seen_ids = set()
        unique_results = []
        
        for customer in all_results:
            if customer['id'] not in seen_ids:
                seen_ids.add(customer['id'])
                unique_results.append(customer)
                
        return unique_results

    def get_all_customers(self, **filters) -> List[Dict]:
        """Get all customers with pagination."""
        all_customers = []
        skip = 0
        take = 100  # Max per request
        
        while True:
            batch = self.list_customers(skip=skip, take=take, **filters)
            if not batch:
                break
                
            all_customers.extend(batch)
            skip += take
            
        return all_customers

# Usage examples
client = DevdraftCustomers()

# Get first 50 active customers
active_customers = client.list_customers(status='ACTIVE', take=50)

# Search for customers named "john"
john_customers = client.search_customers('john')

# Get all business customers
business_customers = client.get_all_customers(status='ACTIVE')
