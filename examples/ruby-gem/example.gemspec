Gem::Specification.new do |spec|
  spec.name = "example"
  spec.version = "0.1.0"
  spec.summary = "An example gem"

  spec.add_dependency "rest-client", "= 1.6.13"
  spec.add_development_dependency "rake", "~> 13.0"
end
