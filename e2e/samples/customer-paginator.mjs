class CustomerPaginator {
  constructor(apiKey, apiSecret) {
    this.apiKey = apiKey;
    this.apiSecret = apiSecret;
    this.baseUrl = "https://api.devdraft.com/api/v0/customers";
  }

  async getPage(page = 1, limit = 25, filters = {}) {
    const skip = (page - 1) * limit;
    const params = new URLSearchParams({
      skip: skip.toString(),
      take: limit.toString(),
      ...filters,
    });

    const response = await fetch(`${this.baseUrl}?${params}`, {
      headers: {
        "x-client-key": this.apiKey,
        "x-client-secret": this.apiSecret,
      },
    });

    const customers = await response.json();

    return {
      customers,
      page,
      limit,
      hasMore: customers.length === limit,
    };
  }

  async *getAllPages(filters = {}, pageSize = 100) {
    let page = 1;
    let hasMore = true;

    while (hasMore) {
      const result = await this.getPage(page, pageSize, filters);
      yield result.customers;

      hasMore = result.hasMore;
      page++;
    }
  }
}

// Usage
const paginator = new CustomerPaginator(process.env.DEVDRAFT_CLIENT_KEY, process.env.DEVDRAFT_CLIENT_SECRET);

// Get all customers across all pages
for await (const customerBatch of paginator.getAllPages({ status: "ACTIVE" })) {
  console.log(`Processing ${customerBatch.length} customers`);
  // Process each batch
}
