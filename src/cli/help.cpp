// --help, laid out like argparse's (Locust's) help: options grouped, help text in a column.
#include <string>
#include <string_view>
#include <vector>

#include "cli/option_table.hpp"
#include "cli/options.hpp"

namespace hornet::cli {
namespace {

constexpr std::size_t kWidth = 79;
constexpr std::size_t kHelpColumn = 24;

struct GroupInfo {
  Group group;
  std::string_view title;
  std::string_view description;
};

constexpr GroupInfo kGroups[] = {
    {Group::kCommon, "Common options", ""},
    {Group::kWebUi, "Web UI options", ""},
    {Group::kMaster, "Master options",
     "Options for running a master node when running distributed. A master node needs worker "
     "nodes (Hornet or Locust) that connect to it before it can run load tests."},
    {Group::kWorker, "Worker options",
     "Options for running a worker node when running distributed. Only the scenario (-f "
     "option) needs to be specified when starting a worker, since other options such as -u, "
     "-r, -t are specified on the master node."},
    {Group::kTags, "Tag options",
     "Tasks can be tagged. These options let specify which tasks to include or exclude during "
     "a test."},
    {Group::kStatistics, "Request statistics options", ""},
    {Group::kLogging, "Logging options", ""},
    {Group::kOther, "Other options", ""},
    {Group::kHornet, "Hornet options", ""},
};

// Appends `text` word-wrapped to kWidth, every line indented by `indent`; the first line's
// indent is assumed to be written already when `first_line_indented` is true.
void append_wrapped(std::string& out, std::string_view text, std::size_t indent,
                    bool first_line_indented = false) {
  std::size_t column = indent;
  bool line_empty = true;
  if (!first_line_indented) out.append(indent, ' ');
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    const std::string_view word = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    if (word.empty()) continue;
    if (!line_empty && column + 1 + word.size() > kWidth) {
      out += '\n';
      out.append(indent, ' ');
      column = indent;
      line_empty = true;
    }
    if (!line_empty) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    line_empty = false;
  }
  out += '\n';
}

// "-u NUM_USERS, --users NUM_USERS", "-T [TAG ...], --tags [TAG ...]", "--headless".
std::string invocation(const OptionSpec& spec) {
  std::string out;
  std::string_view names = spec.names;
  while (!names.empty()) {
    const std::size_t comma = names.find(',');
    if (!out.empty()) out += ", ";
    out += names.substr(0, comma);
    if (spec.many_values) {
      out += " [";
      out += spec.metavar;
      out += " ...]";
    } else if (spec.takes_value()) {
      out += ' ';
      out += spec.metavar;
    }
    names = comma == std::string_view::npos ? std::string_view() : names.substr(comma + 1);
  }
  return out;
}

void append_entry(std::string& out, std::string_view invocation, std::string_view help,
                  const std::vector<std::string>& env_vars) {
  out += "  ";
  out += invocation;
  if (2 + invocation.size() + 2 <= kHelpColumn) {
    out.append(kHelpColumn - 2 - invocation.size(), ' ');
  } else {
    out += '\n';
    out.append(kHelpColumn, ' ');
  }
  append_wrapped(out, help, kHelpColumn, /*first_line_indented=*/true);
  if (!env_vars.empty()) {
    std::string env = "env:";
    for (std::size_t i = 0; i < env_vars.size(); ++i) {
      env += (i == 0 ? " " : ", ") + env_vars[i];
    }
    append_wrapped(out, env, kHelpColumn);
  }
}

// "-m MY_ARG, --my-arg MY_ARG", "--mode {a,b}", "--my-flag".
std::string invocation(const CustomOption& option) {
  std::string metavar = option.metavar;
  if (metavar.empty() && !option.choices.empty()) {
    metavar = "{";
    for (std::size_t i = 0; i < option.choices.size(); ++i) {
      metavar += (i == 0 ? "" : ",") + option.choices[i];
    }
    metavar += "}";
  }
  if (metavar.empty()) {
    metavar = option.effective_dest();
    for (char& c : metavar) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
  }
  std::string out;
  for (const std::string& name : option.names) {
    if (!out.empty()) out += ", ";
    out += name;
    if (option.type != CustomOption::Type::kBool) out += " " + metavar;
  }
  return out;
}

void append_custom(std::string& out, const CustomOption& option) {
  std::vector<std::string> env;
  if (!option.env_var.empty()) env.push_back(option.env_var);
  if (option.help.empty()) {  // argparse prints the invocation alone
    out += "  " + invocation(option) + "\n";
    if (!env.empty()) append_wrapped(out, "env: " + env.front(), kHelpColumn);
    return;
  }
  append_entry(out, invocation(option), option.help, env);
}

}  // namespace

std::string help_text(const ProgramInfo& program, std::span<const CustomOption> custom) {
  std::string out = "Usage: " + program.name + " [OPTIONS] [UserClass ...]\n";
  for (const GroupInfo& group : kGroups) {
    out += "\n";
    out += group.title;
    out += ":\n";
    if (!group.description.empty()) append_wrapped(out, group.description, 2);
    for (const OptionSpec& spec : option_specs()) {
      if (spec.group == group.group) {
        append_entry(out, invocation(spec), spec.help, spec.env_vars());
      }
    }
    // A scenario's parser.add_argument(...) lands in Locust's first group.
    if (group.group == Group::kCommon) {
      for (const CustomOption& option : custom) {
        if (option.group.empty()) append_custom(out, option);
      }
    }
  }
  // Its add_argument_group(title) sections, in the order they first appear.
  std::vector<std::string_view> titles;
  for (const CustomOption& option : custom) {
    if (option.group.empty()) continue;
    bool known = false;
    for (std::string_view title : titles) known = known || title == option.group;
    if (!known) titles.push_back(option.group);
  }
  for (std::string_view title : titles) {
    out += "\n";
    out += title;
    out += ":\n";
    for (const CustomOption& option : custom) {
      if (option.group == title) append_custom(out, option);
    }
  }
  out += "\nUser classes:\n";
  append_entry(out, "UserClass",
               "Optionally specify which User classes that should be used (available User "
               "classes can be listed with -l or --list)",
               {});
  out += "\n";
  append_wrapped(out,
                 "Options can also be set in environment variables and in config files "
                 "(~/.locust.conf, ~/.hornet.conf, ./locust.conf, ./hornet.conf, --config FILE; "
                 "later files win), one 'option-name = value' per line. The command line wins "
                 "over the environment, which wins over config files.",
                 0);
  return out;
}

}  // namespace hornet::cli
