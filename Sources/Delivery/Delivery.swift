// Delivery: sending transformer requests and classifying answers as RudderStack does (spec section 9).
